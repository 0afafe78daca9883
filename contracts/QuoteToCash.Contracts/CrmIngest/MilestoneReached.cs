namespace QuoteToCash.Contracts.CrmIngest;

/// <summary>The CRM (or a project tool) reports a billing milestone of a deal as reached.</summary>
public sealed record MilestoneReached : IFlowMessage
{
    /// <summary>The milestone ID that says the project is complete: it bills a fixed fee's completion parts and the last time period.</summary>
    public const string Completion = "completion";

    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string SourceSystem { get; init; }
    public required string ExternalDealId { get; init; }
    public required string MilestoneId { get; init; }
    public required string Name { get; init; }
    /// <summary>Share of the contract value this milestone bills (0–100), when the milestone is a percentage.</summary>
    public decimal? Percent { get; init; }
    /// <summary>Fixed amount this milestone bills, when it is an amount.</summary>
    public decimal? Amount { get; init; }
    public required DateTimeOffset ReachedAt { get; init; }
}
