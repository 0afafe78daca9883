using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Messages;

/// <summary>A finance manager approved or rejected a write-off; the API has checked segregation of duties.</summary>
public sealed record AdjustmentDecided : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid AdjustmentId { get; init; }
    public required bool Approved { get; init; }
    public required string By { get; init; }
    public required DateTimeOffset At { get; init; }
}
