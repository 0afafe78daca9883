namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>An invoice the platform posted was voided (or deleted) in QuickBooks by someone working there.</summary>
public sealed record InvoiceVoided : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
    public required string AccountingInvoiceId { get; init; }
    /// <summary>True when the invoice is gone from QuickBooks rather than voided.</summary>
    public bool Deleted { get; init; }
    public required DateTimeOffset VoidedAt { get; init; }
}
