namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>
/// Command to accounting-sync: pay money back to a customer, recorded in QuickBooks as a RefundReceipt, exactly once per
/// <see cref="RefundId"/>. The refund line books to the tenant's refund item and the money leaves
/// <see cref="DepositToAccountRef"/> or the tenant's refund account (adjustment settings). Answered with
/// <see cref="RefundIssued"/> or <see cref="AdjustmentFailed"/>.
/// </summary>
public sealed record IssueRefund : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    /// <summary>Stable ID of this refund; the QuickBooks requestid derives from it.</summary>
    public required Guid RefundId { get; init; }
    /// <summary>The platform's invoice the refund relates to, if any (named in the receipt's note).</summary>
    public Guid? InvoiceId { get; init; }
    /// <summary>The QuickBooks customer ID.</summary>
    public required string CustomerRef { get; init; }
    /// <summary>Positive, already rounded.</summary>
    public required decimal Amount { get; init; }
    public required string Currency { get; init; }
    /// <summary>A QuickBooks payment method by name ("Check", "Visa", …).</summary>
    public string? PaymentMethod { get; init; }
    /// <summary>The bank or other current asset account the money is paid from (QuickBooks Account ID).</summary>
    public string? DepositToAccountRef { get; init; }
    /// <summary>Why, in finance's words; it is the refund line's description and heads the private note.</summary>
    public required string Reason { get; init; }
    public string? PrivateNote { get; init; }
}
