namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>
/// Command to accounting-sync: have QuickBooks e-mail a posted invoice to the customer, exactly once per invoice.
/// Answered with <see cref="InvoiceSent"/>; a refusal becomes a sync exception finance works from.
/// </summary>
public sealed record SendInvoice : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
    /// <summary>The QuickBooks Invoice.Id; when null, the invoice accounting-sync posted for <see cref="InvoiceId"/>.</summary>
    public string? AccountingInvoiceId { get; init; }
    /// <summary>The address to send to; null sends to the invoice's (or customer's) billing e-mail in QuickBooks.</summary>
    public string? SendTo { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}
