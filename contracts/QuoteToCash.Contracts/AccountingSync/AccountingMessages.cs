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

public sealed record InvoicePosted : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
    /// <summary>QuickBooks Invoice.Id.</summary>
    public required string AccountingInvoiceId { get; init; }
    public required string DocNumber { get; init; }
    public decimal Total { get; init; }
    public decimal Balance { get; init; }
    public required DateTimeOffset PostedAt { get; init; }
}

public sealed record InvoiceSent : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
    public required DateTimeOffset SentAt { get; init; }
}

/// <summary>A payment applied to one of the flow's invoices arrived from QuickBooks.</summary>
public sealed record PaymentReceived : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
    public required string AccountingPaymentId { get; init; }
    public decimal Amount { get; init; }
    public decimal RemainingBalance { get; init; }
    public required string Currency { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
}
