using QuoteToCash.BillingRules.Domain;
using QuoteToCash.Contracts;
using static QuoteToCash.BillingRules.Tests.Domain.Models.Deals;

namespace QuoteToCash.BillingRules.Tests.Domain.Models;

public sealed class TimeAndMaterialsTests
{
    private static BillingTerms Terms(BillingPeriod period = BillingPeriod.Weekly, decimal? cap = null) => new()
    {
        Model = BillingModel.TimeAndMaterials,
        Period = period,
        NotToExceed = cap,
        RateCard = [Rate("senior", 150m, product: "SENIOR-HOUR"), Rate("consultant", 110m), Rate("senior", 175m, person: "Ana Ruiz")],
    };

    private static ContractLedger Active(BillingTerms terms, DateOnly? signedOn = null)
    {
        var ledger = Start(terms, signedOn: signedOn);
        BillingContract.Activate(ledger, signedOn ?? Signed);
        return ledger;
    }

    private static void Log(ContractLedger ledger, DateOnly today, params TimeEntry[] entries)
    {
        foreach (var entry in entries)
            Assert.Empty(BillingContract.LogTime(ledger, entry, today).Due);
    }

    [Fact]
    public void A_week_closes_on_Monday_with_one_line_per_person_role_and_rate()
    {
        var ledger = Active(Terms());
        Log(ledger, D(3, 6),
            Time("e1", "Ana Ruiz", "senior", D(3, 3), 6m),
            Time("e2", "Ben Ito", "consultant", D(3, 4), 8m),
            Time("e3", "Ben Ito", "consultant", D(3, 5), 4m, billable: false),
            Time("e4", "Cleo Park", "senior", D(3, 5), 3.5m, rate: 160m),
            Time("e6", "Ben Ito", "consultant", D(3, 8), 2.5m));

        Assert.Equal(D(3, 9), BillingContract.NextDue(ledger));
        Assert.Empty(BillingContract.Advance(ledger, D(3, 8)).Due);
        var closed = BillingContract.Advance(ledger, D(3, 9));
        var again = BillingContract.Advance(ledger, D(3, 9));

        var invoice = Assert.Single(closed.Due);
        Assert.Equal(("tm:2026-03-02", ChargeKind.TimeAndMaterials, D(3, 9)), (invoice.Key, invoice.Kind, invoice.BillOn));
        Assert.Collection(invoice.Lines,
            l => Assert.Equal(("Ana Ruiz (senior)", 6m, 175m, 1_050m, "sku:SENIOR-HOUR"), (l.Description, l.Quantity, l.UnitPrice, l.Amount, l.Product)),
            l => Assert.Equal(("Ben Ito (consultant)", 10.5m, 110m, 1_155m, (string?)null), (l.Description, l.Quantity, l.UnitPrice, l.Amount, l.Product)),
            l => Assert.Equal(("Cleo Park (senior)", 3.5m, 160m, 560m, "sku:SENIOR-HOUR"), (l.Description, l.Quantity, l.UnitPrice, l.Amount, l.Product)));
        Assert.All(invoice.Lines, l => Assert.Equal((D(3, 2), D(3, 8)), (l.ServiceFrom, l.ServiceTo)));
        Assert.Equal(2_765m, invoice.Total);
        Assert.Empty(again.Due);
        Assert.Equal(TimeEntryStatus.NonBillable, ledger.TimeEntries.Single(e => e.EntryId == "e3").Status);
        Assert.Equal(D(3, 16), BillingContract.NextDue(ledger));
    }

    [Fact]
    public void Time_without_any_rate_is_named_in_an_alert_and_not_billed()
    {
        var ledger = Active(Terms());

        var logged = BillingContract.LogTime(ledger, Time("e5", "Dev Shah", "analyst", D(3, 6), 2m), D(3, 6));
        BillingContract.LogTime(ledger, Time("e1", "Ana Ruiz", "senior", D(3, 3), 1m), D(3, 6));
        var closed = BillingContract.Advance(ledger, D(3, 9));

        Assert.Contains("e5", Assert.Single(logged.Alerts));
        Assert.Contains("e5", Assert.Single(closed.Alerts));
        Assert.Equal("Ana Ruiz (senior)", closed.Due.Single().Lines.Single().Description);
        Assert.Equal(TimeEntryStatus.NoRate, ledger.TimeEntries.Single(e => e.EntryId == "e5").Status);
    }

    [Fact]
    public void The_entrys_own_rate_wins_over_the_persons_which_wins_over_the_roles()
    {
        var ledger = Active(Terms());
        Log(ledger, D(3, 6),
            Time("own", "Ana Ruiz", "senior", D(3, 3), 1m, rate: 99m),
            Time("person", "Ana Ruiz", "senior", D(3, 4), 1m),
            Time("role", "Eli Novak", "senior", D(3, 4), 1m));

        var lines = BillingContract.Advance(ledger, D(3, 9)).Due.Single().Lines;

        Assert.Equal([("Ana Ruiz (senior)", 99m), ("Ana Ruiz (senior)", 175m), ("Eli Novak (senior)", 150m)], lines.Select(l => (l.Description, l.UnitPrice)));
    }

    [Fact]
    public void A_late_entry_goes_into_the_next_open_period_with_a_note()
    {
        var ledger = Active(Terms());
        Log(ledger, D(3, 6), Time("e1", "Ana Ruiz", "senior", D(3, 3), 6m));
        BillingContract.Advance(ledger, D(3, 9));

        Log(ledger, D(3, 10), Time("e7", "Ana Ruiz", "senior", D(3, 6), 2m), Time("e8", "Ana Ruiz", "senior", D(3, 10), 1m));
        var next = BillingContract.Advance(ledger, D(3, 16)).Due.Single();

        Assert.Equal(("tm:2026-03-09", 3m, 525m), (next.Key, next.Lines.Single().Quantity, next.Total));
        Assert.Equal("Includes time entry e7 (Ana Ruiz, 2 h on 2026-03-06), logged after its own period had been billed.", Assert.Single(next.Notes));
    }

    [Fact]
    public void Biweekly_periods_are_two_week_blocks_from_the_Monday_of_the_signing_week()
    {
        // Signed on Wednesday 4 March: blocks 2–15 March, 16–29 March.
        var ledger = Active(Terms(BillingPeriod.Biweekly), D(3, 4));
        Log(ledger, D(3, 16), Time("a", "Ben Ito", "consultant", D(3, 14), 3m), Time("b", "Ben Ito", "consultant", D(3, 16), 5m));

        Assert.Equal(D(3, 16), BillingContract.NextDue(ledger));
        var first = BillingContract.Advance(ledger, D(3, 16)).Due.Single();
        var second = BillingContract.Advance(ledger, D(3, 30)).Due.Single();

        Assert.Equal(("tm:2026-03-02", D(3, 15), 330m), (first.Key, first.Lines.Single().ServiceTo!.Value, first.Total));
        Assert.Equal(("tm:2026-03-16", D(3, 29), 550m), (second.Key, second.Lines.Single().ServiceTo!.Value, second.Total));
    }

    [Fact]
    public void Monthly_periods_are_calendar_months()
    {
        var ledger = Active(Terms(BillingPeriod.Monthly));
        Log(ledger, D(4, 1), Time("a", "Ben Ito", "consultant", D(3, 31), 1m), Time("b", "Ben Ito", "consultant", D(4, 1), 1m));

        var march = BillingContract.Advance(ledger, D(4, 1)).Due.Single();

        Assert.Equal(("tm:2026-03-01", D(3, 1), D(3, 31), 110m), (march.Key, march.Lines.Single().ServiceFrom!.Value, march.Lines.Single().ServiceTo!.Value, march.Total));
        Assert.Equal(D(5, 1), BillingContract.NextDue(ledger));
    }

    [Fact]
    public void Billing_stops_exactly_at_the_cap_and_later_time_is_recorded_only()
    {
        // Ana 6 h × 175 = 1,050; Ben 10 h × 110 = 1,100 would make 2,150: Ben's line is cut to 950.
        var ledger = Active(Terms(cap: 2_000m));
        Log(ledger, D(3, 6), Time("e1", "Ana Ruiz", "senior", D(3, 3), 6m), Time("e2", "Ben Ito", "consultant", D(3, 4), 10m));

        var closed = BillingContract.Advance(ledger, D(3, 9));
        var after = BillingContract.LogTime(ledger, Time("e9", "Ana Ruiz", "senior", D(3, 10), 4m), D(3, 10));
        var nextWeek = BillingContract.Advance(ledger, D(3, 16));

        var invoice = closed.Due.Single();
        Assert.Equal([1_050m, 950m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal((1m, 950m), (invoice.Lines[1].Quantity, invoice.Lines[1].UnitPrice));
        Assert.True(closed.CapReached);
        Assert.True(ledger.CapReached);
        Assert.Contains("2,000.00 GBP", Assert.Single(closed.Alerts));
        Assert.Equal(2_000m, ledger.Billed);
        Assert.Single(after.Alerts);
        Assert.Empty(nextWeek.Due);
        Assert.Equal(TimeEntryStatus.OverCap, ledger.TimeEntries.Single(e => e.EntryId == "e9").Status);
        Assert.Null(BillingContract.NextDue(ledger));
        Assert.True(BillingContract.IsFullyBilled(ledger));
    }

    [Fact]
    public void A_cut_that_comes_out_in_whole_hours_keeps_hours_and_rate()
    {
        var ledger = Active(Terms(cap: 1_600m));
        Log(ledger, D(3, 6), Time("e1", "Ana Ruiz", "senior", D(3, 3), 6m), Time("e2", "Ben Ito", "consultant", D(3, 4), 10m, rate: 100m));

        var cut = BillingContract.Advance(ledger, D(3, 9)).Due.Single().Lines[1];

        Assert.Equal((5.5m, 100m, 550m), (cut.Quantity, cut.UnitPrice, cut.Amount));
    }

    [Fact]
    public void Completion_bills_the_final_short_period_and_nothing_after()
    {
        var ledger = Active(Terms(BillingPeriod.Monthly));
        Log(ledger, D(4, 2), Time("a", "Ben Ito", "consultant", D(3, 20), 2m), Time("b", "Ben Ito", "consultant", D(4, 3), 3m), Time("c", "Ben Ito", "consultant", D(4, 20), 1m));
        BillingContract.Advance(ledger, D(4, 1));

        var completed = BillingContract.Complete(ledger, D(4, 15));
        var afterwards = BillingContract.LogTime(ledger, Time("d", "Ben Ito", "consultant", D(4, 14), 1m), D(4, 16));

        var last = completed.Due.Single();
        Assert.Equal(("tm:2026-04-01", D(4, 16), 330m), (last.Key, last.BillOn, last.Total));
        Assert.Equal((D(4, 1), D(4, 15)), (last.Lines.Single().ServiceFrom, last.Lines.Single().ServiceTo));
        Assert.Contains("Time entry c (", Assert.Single(completed.Alerts));
        Assert.Single(afterwards.Alerts);
        Assert.Empty(BillingContract.Advance(ledger, D(5, 1)).Due);
        Assert.True(BillingContract.IsFullyBilled(ledger));
        Assert.Null(BillingContract.NextDue(ledger));
    }

    [Fact]
    public void A_redelivered_entry_is_recorded_once()
    {
        var ledger = Active(Terms());
        var entry = Time("e1", "Ana Ruiz", "senior", D(3, 3), 6m);
        Log(ledger, D(3, 3), entry, entry);
        var changed = BillingContract.LogTime(ledger, entry with { Hours = 7m }, D(3, 4));

        Assert.Single(ledger.TimeEntries);
        Assert.Single(changed.Alerts);
        Assert.Equal(1_050m, BillingContract.Advance(ledger, D(3, 9)).Due.Single().Total);
    }

    [Fact]
    public void Periods_wait_for_the_customer_and_are_billed_one_invoice_each_once_active()
    {
        var ledger = Start(Terms());
        Log(ledger, D(3, 3), Time("e1", "Ana Ruiz", "senior", D(3, 3), 1m), Time("e2", "Ana Ruiz", "senior", D(3, 10), 2m));

        Assert.Empty(BillingContract.Advance(ledger, D(3, 20)).Due);
        Assert.Null(BillingContract.NextDue(ledger));
        Assert.Empty(BillingContract.Activate(ledger, D(3, 20)).Due);
        var caughtUp = BillingContract.Advance(ledger, D(3, 20));

        Assert.Equal([("tm:2026-03-02", D(3, 20), 175m), ("tm:2026-03-09", D(3, 20), 350m)], caughtUp.Summary());
    }
}
