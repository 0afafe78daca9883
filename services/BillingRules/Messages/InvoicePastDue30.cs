using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Messages;

/// <summary>Thirty days have passed since an invoice's due date; if it still owes, it counts against the customer's standing.</summary>
public sealed record InvoicePastDue30 : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
}
