namespace QuoteToCash.Contracts.BillingRules;

/// <summary>billing-rules drafted an invoice for a flow.</summary>
public sealed record InvoiceDrafted : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    /// <summary>Stable ID of this invoice within the flow; the QBO requestid derives from it.</summary>
    public required Guid InvoiceId { get; init; }
    public required Guid CustomerId { get; init; }
    public required string Currency { get; init; }
    public required IReadOnlyList<InvoiceLine> Lines { get; init; }
    public decimal Total { get; init; }
    public DateOnly InvoiceDate { get; init; }
    public DateOnly DueDate { get; init; }
    public bool RequiresApproval { get; init; }
    /// <summary>
    /// When billing-rules drafted it, on billing-rules' own clock; with <see cref="RequiresApproval"/> the moment the approval
    /// wait began. Null from producers before it was added (a reader then has only the message's transport time).
    /// </summary>
    public DateTimeOffset? DraftedAt { get; init; }
}
