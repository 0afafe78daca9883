namespace QuoteToCash.Contracts.BillingRules;

/// <summary>A quote-to-cash flow has stayed in one state longer than that state is expected to take.</summary>
public sealed record FlowStuck : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string ExternalDealId { get; init; }
    public required string State { get; init; }
    public required DateTimeOffset Since { get; init; }
    public required TimeSpan ExpectedWithin { get; init; }
    public required DateTimeOffset DetectedAt { get; init; }
}
