using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Messages;

/// <summary>An invoice's due date passed; it is overdue unless it was paid.</summary>
public sealed record InvoiceDueDatePassed : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
}
