using QuoteToCash.BillingRules.Domain;
using QuoteToCash.Contracts;
using static QuoteToCash.BillingRules.Tests.Domain.Models.Deals;

namespace QuoteToCash.BillingRules.Tests.Domain.Models;

public sealed class MilestoneTests
{
    private static BillingTerms Plan(params MilestoneTerm[] milestones) => new() { Model = BillingModel.Milestones, Milestones = milestones };

    private static MilestoneTerm M(string id, string name, decimal? percent = null, decimal? amount = null) =>
        new() { Id = id, Name = name, Percent = percent, Amount = amount };

    [Fact]
    public void Each_planned_milestone_is_billed_once_and_the_last_takes_the_rounding()
    {
        // 1,000.00 in thirds: 333.33, 333.33, and the last 1,000.00 − 666.66 = 333.34
        var ledger = Start(Plan(M("m1", "Design", 33.3333m), M("m2", "Build", 33.3333m), M("m3", "Go-live", 33.3334m)), 1_000m);
        Assert.Empty(BillingContract.Activate(ledger, D(3, 2)).Due);

        var m2 = BillingContract.ReachMilestone(ledger, "m2", "Build", null, null, D(4, 1));
        var m2Again = BillingContract.ReachMilestone(ledger, "m2", "Build", null, null, D(4, 2));
        var m1 = BillingContract.ReachMilestone(ledger, "m1", "Design", null, null, D(4, 15));
        var m3 = BillingContract.ReachMilestone(ledger, "m3", "Go-live", null, null, D(5, 20));

        Assert.Equal([("milestone:m2", D(4, 1), 333.33m)], m2.Summary());
        Assert.Empty(m2Again.Due);
        Assert.Equal([("milestone:m1", D(4, 15), 333.33m)], m1.Summary());
        Assert.Equal([("milestone:m3", D(5, 20), 333.34m)], m3.Summary());
        Assert.Empty(m3.Alerts);
        Assert.Equal("Contoso ERP rollout: milestone 3 of 3, Go-live", m3.Due.Single().Lines.Single().Description);
        Assert.Equal(1_000m, ledger.Billed);
        Assert.True(BillingContract.IsFullyBilled(ledger));
    }

    [Fact]
    public void Amounts_and_percentages_mix_in_one_plan()
    {
        var ledger = Start(Plan(M("kickoff", "Kick-off", amount: 2_000m), M("uat", "UAT", percent: 50m), M("live", "Live", percent: 30m)), 10_000m);
        BillingContract.Activate(ledger, D(3, 2));

        Assert.Equal(2_000m, BillingContract.ReachMilestone(ledger, "kickoff", "Kick-off", null, 2_000m, D(3, 9)).Due.Single().Total);
        Assert.Equal(5_000m, BillingContract.ReachMilestone(ledger, "uat", "UAT", 50m, null, D(4, 9)).Due.Single().Total);
        Assert.Equal(3_000m, BillingContract.ReachMilestone(ledger, "live", "Live", 30m, null, D(5, 9)).Due.Single().Total);
    }

    [Fact]
    public void An_unplanned_milestone_bills_its_amount_within_what_is_left_and_the_last_planned_takes_the_rest()
    {
        var ledger = Start(Plan(M("m1", "Design", 50m), M("m2", "Build", 50m)), 10_000m);
        BillingContract.Activate(ledger, D(3, 2));

        var m1 = BillingContract.ReachMilestone(ledger, "m1", "Design", null, null, D(3, 20));
        var extra = BillingContract.ReachMilestone(ledger, "cr-7", "Change request 7", null, 1_200m, D(4, 2));
        var m2 = BillingContract.ReachMilestone(ledger, "m2", "Build", null, null, D(5, 2));

        Assert.Equal(5_000m, m1.Due.Single().Total);
        Assert.Equal(("milestone:cr-7", 1_200m, "Contoso ERP rollout: Change request 7"), (extra.Due.Single().Key, extra.Due.Single().Total, extra.Due.Single().Lines.Single().Description));
        Assert.Equal(3_800m, m2.Due.Single().Total);
        Assert.Contains("3,800.00 GBP", Assert.Single(m2.Alerts));
        Assert.Equal(10_000m, ledger.Billed);
    }

    [Fact]
    public void An_unplanned_milestone_is_cut_to_what_is_left_of_the_contract_value()
    {
        var ledger = Start(Plan(M("m1", "Design", 80m), M("m2", "Handover", 20m)), 10_000m);
        BillingContract.Activate(ledger, D(3, 2));
        BillingContract.ReachMilestone(ledger, "m1", "Design", null, null, D(3, 20));

        var extra = BillingContract.ReachMilestone(ledger, "cr-1", "Extra reports", 25m, null, D(4, 2));
        var nothingLeft = BillingContract.ReachMilestone(ledger, "cr-2", "More reports", null, 100m, D(4, 3));
        var handover = BillingContract.ReachMilestone(ledger, "m2", "Handover", null, null, D(4, 30));

        Assert.Equal(2_000m, extra.Due.Single().Total);
        Assert.Contains("2,500.00 GBP", Assert.Single(extra.Alerts));
        Assert.Empty(nothingLeft.Due);
        Assert.Single(nothingLeft.Alerts);
        Assert.Empty(handover.Due);
        Assert.Single(handover.Alerts);
        Assert.Equal(10_000m, ledger.Billed);
        Assert.True(BillingContract.IsFullyBilled(ledger));
    }

    [Fact]
    public void An_unplanned_milestone_without_an_amount_is_an_alert_and_no_invoice()
    {
        var ledger = Start(Plan(M("m1", "Design", 100m)), 10_000m);
        BillingContract.Activate(ledger, D(3, 2));

        var outcome = BillingContract.ReachMilestone(ledger, "workshop", "Extra workshop", null, null, D(3, 10));

        Assert.Empty(outcome.Due);
        Assert.Contains("Extra workshop", Assert.Single(outcome.Alerts));
        Assert.Equal(0m, ledger.Billed);
    }

    [Fact]
    public void A_milestone_reached_before_the_customer_is_ready_is_billed_at_activation_on_the_activation_day()
    {
        var ledger = Start(Plan(M("m1", "Design", 40m), M("m2", "Build", 60m)), 5_000m);

        Assert.Empty(BillingContract.ReachMilestone(ledger, "m1", "Design", null, null, D(3, 5)).Due);
        var activated = BillingContract.Activate(ledger, D(3, 9));

        Assert.Equal([("milestone:m1", D(3, 9), 2_000m)], activated.Summary());
    }

    [Fact]
    public void A_plan_that_does_not_add_up_is_flagged_and_the_last_milestone_makes_it_add_up()
    {
        var ledger = Start(Plan(M("m1", "Design", amount: 4_000m), M("m2", "Build", amount: 4_000m)), 9_000m);

        var activated = BillingContract.Activate(ledger, D(3, 2));
        BillingContract.ReachMilestone(ledger, "m1", "Design", null, null, D(3, 20));
        var last = BillingContract.ReachMilestone(ledger, "m2", "Build", null, null, D(4, 20));

        Assert.Contains("8,000.00 GBP", Assert.Single(activated.Alerts));
        Assert.Equal(5_000m, last.Due.Single().Total);
        Assert.Equal(9_000m, ledger.Billed);
    }

    [Fact]
    public void A_milestone_reported_with_other_figures_than_planned_bills_the_plan()
    {
        var ledger = Start(Plan(M("m1", "Design", 50m), M("m2", "Build", 50m)), 10_000m);
        BillingContract.Activate(ledger, D(3, 2));

        var outcome = BillingContract.ReachMilestone(ledger, "m1", "Design", 60m, null, D(3, 20));

        Assert.Equal(5_000m, outcome.Due.Single().Total);
        Assert.Single(outcome.Alerts);
    }
}
