using QuoteToCash.BillingRules.Domain;
using StagedRollout = QuoteToCash.BillingRules.Domain.Rollout;

namespace QuoteToCash.BillingRules.Tests.Domain.Rollout;

public class RolloutTests
{
    [Fact]
    public void By_default_every_deal_is_billed_live()
    {
        var decision = StagedRollout.Decide(new RolloutPolicy(), businessUnit: null, region: null, dealAmount: 18_500m, customerApproved: false);

        Assert.Equal(new RolloutDecision(true, BillingMode.Live, null), decision);
        Assert.True(decision.Posts);
    }

    [Theory]
    [InlineData("Consulting")]
    [InlineData(" consulting ")]
    [InlineData("MANAGED SERVICES")]
    public void A_business_unit_in_the_staged_rollout_is_billed(string businessUnit)
    {
        var policy = new RolloutPolicy { BusinessUnits = ["Consulting", "Managed services"] };

        Assert.True(StagedRollout.Decide(policy, businessUnit, "UK", 18_500m, customerApproved: true).Bill);
    }

    [Fact]
    public void A_business_unit_outside_the_staged_rollout_is_left_to_finance_with_the_reason()
    {
        var policy = new RolloutPolicy { BusinessUnits = ["Consulting", "Managed services"] };

        var decision = StagedRollout.Decide(policy, "Training", "UK", 18_500m, customerApproved: true);

        Assert.False(decision.Bill);
        Assert.False(decision.Posts);
        Assert.Equal("Business unit Training is not in the rollout (Consulting, Managed services).", decision.SkippedBecause);
    }

    [Fact]
    public void A_deal_without_a_business_unit_is_outside_a_rollout_by_business_unit()
    {
        var policy = new RolloutPolicy { BusinessUnits = ["Consulting"] };

        var decision = StagedRollout.Decide(policy, "  ", "UK", 18_500m, customerApproved: true);

        Assert.Equal("The deal has no business unit, and the rollout covers only Consulting.", decision.SkippedBecause);
    }

    [Fact]
    public void Regions_stage_the_rollout_the_same_way()
    {
        var policy = new RolloutPolicy { Regions = ["UK", "IE"] };

        Assert.True(StagedRollout.Decide(policy, null, "uk", 1m, customerApproved: true).Bill);
        Assert.Equal("Region DE is not in the rollout (UK, IE).", StagedRollout.Decide(policy, null, "DE", 1m, customerApproved: true).SkippedBecause);
        Assert.False(StagedRollout.Decide(policy, null, null, 1m, customerApproved: true).Bill);
    }

    [Fact]
    public void Only_approved_customers_when_the_tenant_says_so()
    {
        var policy = new RolloutPolicy { OnlyApprovedCustomers = true };

        Assert.True(StagedRollout.Decide(policy, null, null, 18_500m, customerApproved: true).Bill);
        var decision = StagedRollout.Decide(policy, null, null, 18_500m, customerApproved: false);
        Assert.False(decision.Bill);
        Assert.Equal("The customer is not approved yet, and only approved customers are billed.", decision.SkippedBecause);
    }

    [Fact]
    public void Deals_below_the_minimum_amount_are_left_to_finance()
    {
        var policy = new RolloutPolicy { MinimumAmount = 1_000m };

        Assert.True(StagedRollout.Decide(policy, null, null, 1_000m, customerApproved: true).Bill);
        var decision = StagedRollout.Decide(policy, null, null, 999.99m, customerApproved: true);
        Assert.False(decision.Bill);
        Assert.Equal("The deal's amount 999.99 is below the minimum of 1,000.", decision.SkippedBecause);
    }

    [Fact]
    public void Every_reason_that_applies_is_given()
    {
        var policy = new RolloutPolicy { Mode = BillingMode.ParallelRun, BusinessUnits = ["Consulting"], Regions = ["UK"], OnlyApprovedCustomers = true, MinimumAmount = 500m };

        var decision = StagedRollout.Decide(policy, "Training", "DE", 120m, customerApproved: false);

        Assert.Equal(BillingMode.ParallelRun, decision.Mode);
        Assert.Equal(
            "Business unit Training is not in the rollout (Consulting); region DE is not in the rollout (UK); "
            + "the customer is not approved yet, and only approved customers are billed; the deal's amount 120 is below the minimum of 500.",
            decision.SkippedBecause);
    }

    [Theory]
    [InlineData(BillingMode.Live, true)]
    [InlineData(BillingMode.Sandbox, true)]
    [InlineData(BillingMode.ParallelRun, false)]
    public void A_parallel_run_drafts_but_does_not_post(BillingMode mode, bool posts)
    {
        var decision = StagedRollout.Decide(new RolloutPolicy { Mode = mode }, "Consulting", "UK", 18_500m, customerApproved: true);

        Assert.True(decision.Bill);
        Assert.Equal(mode, decision.Mode);
        Assert.Equal(posts, decision.Posts);
    }
}
