using System.Text.Json;
using System.Text.Json.Serialization;
using QuoteToCash.BillingRules.Domain;
using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Tests.Scenarios;

/// <summary>
/// Three months (March to May 2026) of the 25-consultant firm, replayed day by day through <see cref="BillingContract"/>:
/// eight deals across the five billing models, the consultants' time, milestones and changes. Every invoice is checked
/// line by line against the figures worked out by hand in <c>consulting-firm-quarter.json</c>, and nothing else may be billed.
/// </summary>
public sealed class ConsultingFirmQuarterTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private sealed record Quarter(string Currency, DateOnly From, DateOnly Through, List<Deal> Deals, List<Event> Events,
        List<ExpectedInvoice> ExpectedInvoices, List<ExpectedAlert> ExpectedAlerts, ExpectedRetainer ExpectedRetainer);

    private sealed record Deal(string Id, string Name, decimal Value, List<DealLine> Lines, BillingTerms Terms, bool FullyBilled);

    private sealed record Event(DateOnly On, string Deal, string Type, TimeEntry? Entry, string? MilestoneId, string? Name,
        decimal? Percent, decimal? Amount, decimal? Value, decimal? Seats);

    private sealed record ExpectedInvoice(string Deal, string Key, ChargeKind Kind, DateOnly BillOn, string? PurchaseOrder, decimal Total,
        List<ExpectedLine> Lines, List<string>? Notes);

    private sealed record ExpectedLine(string Description, string? Product, decimal Quantity, decimal UnitPrice, decimal Amount,
        DateOnly? ServiceFrom, DateOnly? ServiceTo);

    private sealed record ExpectedAlert(string Deal, DateOnly On, string Contains);

    private sealed record ExpectedRetainer(string Deal, decimal Deposited, decimal DrawnDown, decimal Balance, List<RetainerEntry> Entries);

    private sealed record Billed(string Deal, DateOnly On, DueInvoice Invoice);

    private sealed record Raised(string Deal, DateOnly On, string Alert);

    private static Quarter Load() =>
        JsonSerializer.Deserialize<Quarter>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scenarios", "consulting-firm-quarter.json")), Json)
        ?? throw new InvalidOperationException("The scenario file is empty.");

    /// <summary>Each day: the wake-up (Advance) of every deal won so far, then the day's events in the file's order.</summary>
    private static (Dictionary<string, ContractLedger> Ledgers, List<Billed> Billed, List<Raised> Alerts) Replay(Quarter quarter)
    {
        var deals = quarter.Deals.ToDictionary(d => d.Id);
        var ledgers = new Dictionary<string, ContractLedger>();
        var billed = new List<Billed>();
        var alerts = new List<Raised>();
        void Record(string deal, DateOnly day, ContractOutcome outcome)
        {
            billed.AddRange(outcome.Due.Select(d => new Billed(deal, day, d)));
            alerts.AddRange(outcome.Alerts.Select(a => new Raised(deal, day, a)));
        }

        for (var day = quarter.From; day <= quarter.Through; day = day.AddDays(1))
        {
            foreach (var (id, ledger) in ledgers)
                Record(id, day, BillingContract.Advance(ledger, day));
            foreach (var e in quarter.Events.Where(e => e.On == day))
            {
                var deal = deals[e.Deal];
                if (e.Type == "won")
                {
                    ledgers.Add(deal.Id, BillingContract.Start(deal.Name, deal.Terms, deal.Lines, deal.Value, quarter.Currency, day));
                    continue;
                }
                var ledger = ledgers[deal.Id];
                Record(deal.Id, day, e.Type switch
                {
                    "activate" => BillingContract.Activate(ledger, day),
                    "time" => BillingContract.LogTime(ledger, e.Entry!, day),
                    "milestone" => BillingContract.ReachMilestone(ledger, e.MilestoneId!, e.Name!, e.Percent, e.Amount, day),
                    "change" => BillingContract.Change(ledger, e.Seats is { } seats
                        ? deal.Terms with { Subscription = deal.Terms.Subscription! with { Quantity = seats } }
                        : deal.Terms, e.Value!.Value, day),
                    "complete" => BillingContract.Complete(ledger, day),
                    _ => throw new InvalidOperationException($"Unknown event type '{e.Type}' on {day}."),
                });
            }
        }
        return (ledgers, billed, alerts);
    }

    [Fact]
    public void Every_invoice_of_the_quarter_is_billed_as_worked_out_by_hand_and_nothing_else()
    {
        var quarter = Load();

        var (_, billed, _) = Replay(quarter);

        foreach (var expected in quarter.ExpectedInvoices)
        {
            var actual = billed.Where(b => b.Deal == expected.Deal && b.Invoice.Key == expected.Key).Select(b => b.Invoice).ToList();
            var invoice = Assert.Single(actual);
            var label = $"{expected.Deal} {expected.Key}";
            Assert.Equal((label, expected.Kind, expected.BillOn, expected.PurchaseOrder), (label, invoice.Kind, invoice.BillOn, invoice.PurchaseOrder));
            Assert.Equal((label, expected.Lines.Count), (label, invoice.Lines.Count));
            for (var i = 0; i < expected.Lines.Count; i++)
            {
                var want = expected.Lines[i];
                var got = invoice.Lines[i];
                Assert.Equal((label, i, want.Description, want.Product, want.Quantity, want.UnitPrice, want.Amount, want.ServiceFrom, want.ServiceTo),
                    (label, i, got.Description, got.Product, got.Quantity, got.UnitPrice, got.Amount, got.ServiceFrom, got.ServiceTo));
            }
            Assert.Equal((label, expected.Total), (label, invoice.Total));
            Assert.Equal(expected.Notes ?? [], invoice.Notes);
        }

        var unexpected = billed.Where(b => !quarter.ExpectedInvoices.Any(x => x.Deal == b.Deal && x.Key == b.Invoice.Key))
            .Select(b => $"{b.Deal} {b.Invoice.Key} {b.Invoice.Total}").ToList();
        Assert.Empty(unexpected);
        Assert.Equal(quarter.ExpectedInvoices.Count, billed.Count);
    }

    [Fact]
    public void Each_deal_has_billed_exactly_its_invoices_and_knows_whether_it_is_done()
    {
        var quarter = Load();

        var (ledgers, _, _) = Replay(quarter);

        foreach (var deal in quarter.Deals)
        {
            var ledger = ledgers[deal.Id];
            var expectedTotal = quarter.ExpectedInvoices.Where(x => x.Deal == deal.Id).Sum(x => x.Total);
            Assert.Equal((deal.Id, expectedTotal, deal.FullyBilled), (deal.Id, ledger.Billed, BillingContract.IsFullyBilled(ledger)));
        }
        Assert.True(ledgers["D-103"].CapReached);
        Assert.Equal(12_000m, ledgers["D-103"].Billed);
        Assert.Equal(44_500m, ledgers["D-102"].Billed);
    }

    [Fact]
    public void Finance_is_told_what_needs_a_person()
    {
        var quarter = Load();

        var (_, _, alerts) = Replay(quarter);

        foreach (var expected in quarter.ExpectedAlerts)
            Assert.Contains(alerts, a => a.Deal == expected.Deal && a.On == expected.On && a.Alert.Contains(expected.Contains, StringComparison.Ordinal));
    }

    [Fact]
    public void The_retainer_balance_and_its_history_add_up()
    {
        var quarter = Load();
        var expected = quarter.ExpectedRetainer;

        var (ledgers, _, _) = Replay(quarter);

        var account = ledgers[expected.Deal].Retainer!;
        Assert.Equal((expected.Deposited, expected.DrawnDown, expected.Balance), (account.Deposited, account.DrawnDown, account.Balance));
        Assert.Equal(expected.Entries.Select(e => (e.Date, e.Kind, e.Amount, e.BalanceAfter, e.Reference)),
            account.Entries.Select(e => (e.Date, e.Kind, e.Amount, e.BalanceAfter, e.Reference)));
        Assert.Equal(account.Deposited, account.DrawnDown + account.Balance);
    }

    [Fact]
    public void Replaying_the_quarter_twice_over_the_same_ledgers_bills_nothing_more()
    {
        var quarter = Load();
        var (ledgers, _, _) = Replay(quarter);

        // Every message delivered again, in order; a change is re-delivered as the wake-up it also is, since an older
        // change arriving after a newer one is a different change, not the same message.
        var again = new List<DueInvoice>();
        foreach (var e in quarter.Events.Where(e => e.Type != "won"))
        {
            var ledger = ledgers[e.Deal];
            var outcome = e.Type switch
            {
                "activate" => BillingContract.Activate(ledger, e.On),
                "time" => BillingContract.LogTime(ledger, e.Entry!, e.On),
                "milestone" => BillingContract.ReachMilestone(ledger, e.MilestoneId!, e.Name!, e.Percent, e.Amount, e.On),
                "complete" => BillingContract.Complete(ledger, e.On),
                _ => BillingContract.Advance(ledger, e.On),
            };
            again.AddRange(outcome.Due);
        }
        foreach (var ledger in ledgers.Values)
            again.AddRange(BillingContract.Advance(ledger, quarter.Through).Due);

        Assert.Empty(again);
        Assert.Equal(quarter.ExpectedInvoices.Sum(x => x.Total), ledgers.Values.Sum(l => l.Billed));
    }
}
