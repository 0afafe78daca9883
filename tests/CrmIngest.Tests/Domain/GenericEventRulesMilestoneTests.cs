using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.CrmIngest.Tests.Domain;

/// <summary>A milestone in the deal's plan bills what the plan says; any other must say what it bills.</summary>
public sealed class GenericEventRulesMilestoneTests
{
    private static MilestoneRequest Reached(string id, decimal? percent = null) => new("hubspot", id, "Kick-off", percent, null, null);

    [Fact]
    public void A_planned_milestone_or_the_projects_completion_needs_no_amount()
    {
        Assert.Empty(GenericEventRules.Validate(Reached("m1"), ["m1", "m2"]));
        Assert.Empty(GenericEventRules.Validate(Reached(MilestoneReached.Completion)));
    }

    [Fact]
    public void An_unplanned_milestone_without_an_amount_is_refused_with_the_reason()
    {
        var errors = GenericEventRules.Validate(Reached("bonus"), ["m1"]);

        Assert.Contains("not in the deal's plan", Assert.Single(errors["percent"]));
        Assert.Empty(GenericEventRules.Validate(Reached("bonus", percent: 5m), ["m1"]));
        Assert.Single(GenericEventRules.Validate(Reached("m1")));  // the deal's plan is not known here
    }
}
