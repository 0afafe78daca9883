namespace QuoteToCash.Contracts.AccountingSync;

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
    /// <summary>The invoice date QuickBooks holds (TxnDate).</summary>
    public DateOnly? InvoiceDate { get; init; }
    /// <summary>The due date QuickBooks holds.</summary>
    public DateOnly? DueDate { get; init; }
    /// <summary>Set when the invoice was moved out of a closed period: the date it was asked for.</summary>
    public DateOnly? RequestedInvoiceDate { get; init; }
    /// <summary>What accounting-sync changed on the way and why, written for finance (e.g. the move out of a closed period).</summary>
    public string? Note { get; init; }
}
