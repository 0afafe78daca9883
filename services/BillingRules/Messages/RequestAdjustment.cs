using QuoteToCash.BillingRules.Domain;
using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Messages;

/// <summary>Finance asks for a credit, a write-off or a refund on a flow; the API has validated it.</summary>
public sealed record RequestAdjustment : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid AdjustmentId { get; init; }
    public required AdjustmentKind Kind { get; init; }
    public Guid? InvoiceId { get; init; }
    public required decimal Amount { get; init; }
    public required string Reason { get; init; }
    public string? PaymentMethod { get; init; }
    public required string By { get; init; }
    public required DateTimeOffset At { get; init; }
}
