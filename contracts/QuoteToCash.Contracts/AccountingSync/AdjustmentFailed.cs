namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>A credit memo, write-off or refund could not be made in QuickBooks; the message is written for finance.</summary>
public sealed record AdjustmentFailed : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    /// <summary>The command's CreditMemoId or RefundId.</summary>
    public required Guid AdjustmentId { get; init; }
    /// <summary>"CreditMemo" or "Refund".</summary>
    public required string Adjustment { get; init; }
    /// <summary>
    /// InvoiceNotPosted (no QuickBooks invoice to credit), NotConfigured (no bad-debt or refund item, or no refund account),
    /// NotConnected, Authentication, ClosedPeriod, DuplicateDocNumber, NotFound, Validation.
    /// </summary>
    public required string Kind { get; init; }
    public string? Code { get; init; }
    public required string Message { get; init; }
    public required DateTimeOffset FailedAt { get; init; }
}
