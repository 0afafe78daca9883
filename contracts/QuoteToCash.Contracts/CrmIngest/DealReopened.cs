namespace QuoteToCash.Contracts.CrmIngest;

/// <summary>A deal that had reached its billing trigger was moved back to an open stage.</summary>
public sealed record DealReopened : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string SourceSystem { get; init; }
    public required string ExternalDealId { get; init; }
    public required DateTimeOffset ReopenedAt { get; init; }
}
