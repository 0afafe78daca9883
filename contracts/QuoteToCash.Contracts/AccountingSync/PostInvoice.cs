namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>Command to accounting-sync: create the invoice in the tenant's QuickBooks company, exactly once.</summary>
public sealed record PostInvoice : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
    public required Guid CustomerId { get; init; }
    public string? AccountingCustomerRef { get; init; }
    public required string Currency { get; init; }
    public required IReadOnlyList<InvoiceLine> Lines { get; init; }
    public DateOnly InvoiceDate { get; init; }
    public DateOnly DueDate { get; init; }
    public string? Memo { get; init; }
}
