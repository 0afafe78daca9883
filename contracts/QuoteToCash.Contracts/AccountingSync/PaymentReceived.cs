namespace QuoteToCash.Contracts.AccountingSync;

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
    /// <summary>Set when the amount is a QuickBooks credit memo applied to the invoice rather than money received.</summary>
    public string? AccountingCreditMemoId { get; init; }
}
