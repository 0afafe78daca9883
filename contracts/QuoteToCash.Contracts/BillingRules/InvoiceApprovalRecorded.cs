namespace QuoteToCash.Contracts.BillingRules;

/// <summary>
/// A finance user's decision on an invoice that waited for approval took effect in billing-rules: approved (the invoice goes
/// on to QuickBooks) or rejected (it is not posted). Published once per invoice, after segregation of duties was checked again.
/// </summary>
public sealed record InvoiceApprovalRecorded : IFlowMessage
{
    public const string Approved = "Approved";
    public const string Rejected = "Rejected";

    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
    /// <summary><see cref="Approved"/> or <see cref="Rejected"/>.</summary>
    public required string Decision { get; init; }
    /// <summary>Who decided (the signed-in user's name).</summary>
    public required string DecidedBy { get; init; }
    /// <summary>When the decision was made, on billing-rules' clock.</summary>
    public required DateTimeOffset DecidedAt { get; init; }
    /// <summary>When the approval wait began (the invoice was drafted), on billing-rules' clock.</summary>
    public required DateTimeOffset RequestedAt { get; init; }
    public string? Note { get; init; }
}
