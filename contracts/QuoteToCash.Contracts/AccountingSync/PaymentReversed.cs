namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>
/// A payment (or applied credit) that QuickBooks had applied to one of the flow's invoices was deleted, voided or reduced
/// there: the invoice owes more again. <see cref="RemainingBalance"/> is QuickBooks' balance now, so billing can only move
/// up to it, whatever order this and the payments arrive in.
/// </summary>
public sealed record PaymentReversed : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
    public required string AccountingPaymentId { get; init; }
    /// <summary>How much less the payment now applies to the invoice.</summary>
    public decimal Amount { get; init; }
    public decimal RemainingBalance { get; init; }
    public required string Currency { get; init; }
    /// <summary>True when the payment is gone from QuickBooks (deleted or voided) rather than reduced.</summary>
    public bool Removed { get; init; }
    public required DateTimeOffset ReversedAt { get; init; }
}
