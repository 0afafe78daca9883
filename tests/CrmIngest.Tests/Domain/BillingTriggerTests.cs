using QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.CrmIngest.Tests.Domain;

public class BillingTriggerTests
{
    private static readonly PipelineStage[] Stages =
    [
        new("default", "contractsent", "Contract sent", IsClosed: false, Probability: 0.9m),
        new("default", "closedwon", "Closed won", IsClosed: true, Probability: 1.0m),
        new("default", "closedlost", "Closed lost", IsClosed: true, Probability: 0m),
        new("84273645", "1233582150", "Signed – invoice", IsClosed: true, Probability: 1m),
        new("84273645", "1233582151", "Closed Won (legacy, lost)", IsClosed: true, Probability: 0m),
    ];

    [Fact]
    public void Won_means_closed_with_probability_one_whatever_the_stage_is_called()
    {
        var trigger = new BillingTrigger(Stages);

        Assert.True(trigger.IsTriggered("default", "closedwon"));
        Assert.True(trigger.IsTriggered("84273645", "1233582150"));
        Assert.False(trigger.IsTriggered("84273645", "1233582151")); // named "Closed Won" but lost
        Assert.False(trigger.IsTriggered("default", "closedlost"));
        Assert.False(trigger.IsTriggered("default", "contractsent"));
    }

    [Fact]
    public void Unknown_stages_never_trigger_billing()
    {
        var trigger = new BillingTrigger(Stages);
        Assert.False(trigger.IsTriggered("default", "closedwon-typo"));
        Assert.False(trigger.IsKnown("default", "closedwon-typo"));
    }

    [Fact]
    public void Salesforce_stages_use_is_won()
    {
        var trigger = new BillingTrigger([new PipelineStage("Opportunity", "Negotiation", "Negotiation", false, 0.9m, IsWon: false),
            new PipelineStage("Opportunity", "Signed", "Signed", true, 1m, IsWon: true)]);
        Assert.True(trigger.IsTriggered("Opportunity", "Signed"));
        Assert.False(trigger.IsTriggered("Opportunity", "Negotiation"));
    }

    [Fact]
    public void A_tenant_can_name_the_stages_that_trigger_billing()
    {
        var trigger = new BillingTrigger(Stages, ["default:contractsent"]);
        Assert.True(trigger.IsTriggered("default", "contractsent"));
        Assert.False(trigger.IsTriggered("default", "closedwon"));
    }
}
