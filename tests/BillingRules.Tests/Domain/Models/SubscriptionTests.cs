using QuoteToCash.BillingRules.Domain;
using QuoteToCash.Contracts;
using static QuoteToCash.BillingRules.Tests.Domain.Models.Deals;

namespace QuoteToCash.BillingRules.Tests.Domain.Models;

public sealed class SubscriptionTests
{
    private static BillingTerms Terms(decimal seats = 10m, decimal price = 40m, DateOnly? start = null, int? periods = null,
        SubscriptionInterval interval = SubscriptionInterval.Monthly) => new()
    {
        Model = BillingModel.Subscription,
        Subscription = new SubscriptionTerms { Quantity = seats, UnitPrice = price, StartDate = start, Periods = periods, Interval = interval, Product = "PLATFORM-SEAT" },
    };

    [Fact]
    public void Monthly_periods_start_on_the_same_day_clamped_to_the_month_end()
    {
        var ledger = Start(Terms(start: D(1, 31), periods: 4), signedOn: D(1, 31), name: "Insights platform");

        var first = BillingContract.Activate(ledger, D(1, 31)).Due.Single();
        Assert.Equal(D(2, 28), BillingContract.NextDue(ledger));
        Assert.Empty(BillingContract.Advance(ledger, D(2, 27)).Due);
        var second = BillingContract.Advance(ledger, D(2, 28)).Due.Single();
        var third = BillingContract.Advance(ledger, D(3, 31)).Due.Single();
        var fourth = BillingContract.Advance(ledger, D(4, 30)).Due.Single();

        Assert.Equal(("subscription:2026-01-31", D(1, 31), D(2, 27)), (first.Key, first.Lines.Single().ServiceFrom!.Value, first.Lines.Single().ServiceTo!.Value));
        Assert.Equal(("subscription:2026-02-28", D(2, 28), D(3, 30)), (second.Key, second.Lines.Single().ServiceFrom!.Value, second.Lines.Single().ServiceTo!.Value));
        Assert.Equal(("subscription:2026-03-31", D(3, 31), D(4, 29)), (third.Key, third.Lines.Single().ServiceFrom!.Value, third.Lines.Single().ServiceTo!.Value));
        Assert.Equal(("subscription:2026-04-30", D(4, 30), D(5, 30)), (fourth.Key, fourth.Lines.Single().ServiceFrom!.Value, fourth.Lines.Single().ServiceTo!.Value));
        var line = first.Lines.Single();
        Assert.Equal(("Insights platform: monthly subscription", "sku:PLATFORM-SEAT", 10m, 40m, 400m), (line.Description, line.Product, line.Quantity, line.UnitPrice, line.Amount));
        Assert.Empty(BillingContract.Advance(ledger, D(6, 30)).Due);
        Assert.True(BillingContract.IsFullyBilled(ledger));
        Assert.Null(BillingContract.NextDue(ledger));
    }

    [Fact]
    public void Without_a_term_the_subscription_renews_for_ever()
    {
        var ledger = Start(Terms(start: D(3, 1)));
        BillingContract.Activate(ledger, D(3, 1));

        var year = BillingContract.Advance(ledger, D(2, 1, 2027));

        Assert.Equal(11, year.Due.Count);
        Assert.Equal(D(3, 1, 2027), BillingContract.NextDue(ledger));
        Assert.False(BillingContract.IsFullyBilled(ledger));
    }

    [Fact]
    public void Annual_periods_run_a_year_from_the_start()
    {
        var ledger = Start(Terms(seats: 1m, price: 12_000m, start: D(4, 1), interval: SubscriptionInterval.Annually));

        var first = BillingContract.Activate(ledger, D(3, 20)).Due.Single();
        Assert.Empty(BillingContract.Advance(ledger, D(3, 31, 2027)).Due);
        var second = BillingContract.Advance(ledger, D(4, 1, 2027)).Due.Single();

        Assert.Equal(("subscription:2026-04-01", D(3, 20), D(3, 31, 2027)), (first.Key, first.BillOn, first.Lines.Single().ServiceTo!.Value));
        Assert.Equal(("subscription:2027-04-01", D(4, 1, 2027), "Contoso ERP rollout: annual subscription"), (second.Key, second.BillOn, second.Lines.Single().Description));
    }

    [Fact]
    public void More_seats_mid_period_bill_the_extra_seats_prorated_and_later_periods_at_the_new_count()
    {
        var ledger = Start(Terms(start: D(3, 1)));
        BillingContract.Activate(ledger, D(3, 1));

        var expanded = BillingContract.Change(ledger, Terms(seats: 15m, start: D(3, 1)), 0m, D(3, 18));
        var redelivered = BillingContract.Change(ledger, Terms(seats: 15m, start: D(3, 1)), 0m, D(3, 18));
        var april = BillingContract.Advance(ledger, D(4, 1)).Due.Single();

        // 5 seats × 40 = 200 for 14 of March's 31 days: 200 × 0.451612903 = 90.3225806 → 90.32
        var proration = expanded.Due.Single();
        Assert.Equal(("proration:2026-03-18:10-15", ChargeKind.Proration, D(3, 18), 90.32m), (proration.Key, proration.Kind, proration.BillOn, proration.Total));
        var line = proration.Lines.Single();
        Assert.Equal(("Contoso ERP rollout: 5 more seats, 2026-03-18 to 2026-03-31 (prorated)", D(3, 18), D(3, 31)), (line.Description, line.ServiceFrom!.Value, line.ServiceTo!.Value));
        Assert.Empty(redelivered.Due);
        Assert.Equal((15m, 600m), (april.Lines.Single().Quantity, april.Total));
    }

    [Fact]
    public void Fewer_seats_apply_from_the_next_period_without_a_credit()
    {
        var ledger = Start(Terms(start: D(3, 1)));
        BillingContract.Activate(ledger, D(3, 1));

        var reduced = BillingContract.Change(ledger, Terms(seats: 8m, start: D(3, 1)), 0m, D(3, 18));
        var april = BillingContract.Advance(ledger, D(4, 1)).Due.Single();

        Assert.Empty(reduced.Due);
        Assert.Contains("no credit", Assert.Single(reduced.Alerts));
        Assert.Equal(320m, april.Total);
    }

    [Fact]
    public void A_change_after_a_period_began_but_before_it_was_billed_bills_that_period_first_at_the_old_count()
    {
        var ledger = Start(Terms(start: D(3, 1)));
        BillingContract.Activate(ledger, D(3, 1));

        var expanded = BillingContract.Change(ledger, Terms(seats: 12m, start: D(3, 1)), 0m, D(4, 16));

        // April at 10 seats (400), then 2 seats × 40 = 80 for 15 of April's 30 days = 40.00
        Assert.Equal([("subscription:2026-04-01", D(4, 1), 400m), ("proration:2026-04-16:10-12", D(4, 16), 40m)], expanded.Summary());
        Assert.Equal((2m, 20m), (expanded.Due[1].Lines.Single().Quantity, expanded.Due[1].Lines.Single().UnitPrice));
    }

    [Fact]
    public void A_late_activation_bills_every_period_that_has_started()
    {
        var ledger = Start(Terms(start: D(3, 1)));

        var activated = BillingContract.Activate(ledger, D(4, 5));

        Assert.Equal([("subscription:2026-03-01", D(4, 5), 400m), ("subscription:2026-04-01", D(4, 5), 400m)], activated.Summary());
    }

    [Fact]
    public void Completion_stops_the_renewals()
    {
        var ledger = Start(Terms(start: D(3, 1)));
        BillingContract.Activate(ledger, D(3, 1));

        var ended = BillingContract.Complete(ledger, D(3, 20));

        Assert.Empty(ended.Due);
        Assert.Single(ended.Alerts);
        Assert.Empty(BillingContract.Advance(ledger, D(4, 1)).Due);
        Assert.True(BillingContract.IsFullyBilled(ledger));
    }
}
