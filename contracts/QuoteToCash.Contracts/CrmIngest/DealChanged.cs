namespace QuoteToCash.Contracts.CrmIngest;

/// <summary>A deal that was won earlier changed (amount, lines, dates) or was expanded.</summary>
public sealed record DealChanged : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string SourceSystem { get; init; }
    public required string ExternalDealId { get; init; }
    public IReadOnlyList<DealLine> Lines { get; init; } = [];
    public decimal Amount { get; init; }
    public bool IsExpansion { get; init; }
    /// <summary>The deal's billing terms after the change (for a subscription, the new seat count).</summary>
    public BillingTerms? Billing { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}
