namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>The refund receipt exists in QuickBooks.</summary>
public sealed record RefundIssued : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid RefundId { get; init; }
    /// <summary>QuickBooks RefundReceipt.Id.</summary>
    public required string AccountingRefundReceiptId { get; init; }
    public required string DocNumber { get; init; }
    public decimal Amount { get; init; }
    /// <summary>The account the money left (QuickBooks Account ID).</summary>
    public required string DepositToAccountRef { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
}
