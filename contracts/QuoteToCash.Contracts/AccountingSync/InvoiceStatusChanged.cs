namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>
/// An invoice of the flow changed its status (the lifecycle the CRM shows on the deal). Status is one of
/// Draft, Awaiting approval, Posted, Sent, Partially paid, Paid, Overdue, Voided.
/// </summary>
public sealed record InvoiceStatusChanged : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
    public string? DocNumber { get; init; }
    /// <summary>Draft, Awaiting approval, Posted, Sent, Partially paid, Paid, Overdue or Voided.</summary>
    public required string Status { get; init; }
    public decimal BalanceDue { get; init; }
    public DateOnly? PaidDate { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}
