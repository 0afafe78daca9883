using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Messages;

/// <summary>An invoice's approval was not decided within the tenant's approval SLA.</summary>
public sealed record ApprovalSlaElapsed : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
}
