namespace QuoteToCash.Contracts.MasterData;

/// <summary>The customer cannot be billed yet (missing fields, suspected duplicate); finance must review it.</summary>
public sealed record CustomerNeedsReview : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid CustomerId { get; init; }
    public required IReadOnlyList<string> Reasons { get; init; }
}
