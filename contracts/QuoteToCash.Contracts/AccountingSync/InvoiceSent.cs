namespace QuoteToCash.Contracts.AccountingSync;

public sealed record InvoiceSent : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
    public required DateTimeOffset SentAt { get; init; }
}
