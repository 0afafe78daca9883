namespace QuoteToCash.CrmIngest.Infrastructure;

/// <summary>A won deal of a delivery that was not announced because its billing terms cannot be billed, and why.</summary>
public sealed class RefusedDeal
{
    /// <summary>The CRM's deal (HubSpot) or Opportunity (Salesforce) ID.</summary>
    public string ObjectId { get; set; } = string.Empty;
    public Guid FlowId { get; set; }
    /// <summary>"field: message", one per problem, e.g. "billing.milestones: The milestones' percentages add up to 90 %, not 100 %."</summary>
    public List<string> Reasons { get; set; } = [];
}
