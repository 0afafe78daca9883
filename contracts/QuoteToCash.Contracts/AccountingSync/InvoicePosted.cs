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
}
