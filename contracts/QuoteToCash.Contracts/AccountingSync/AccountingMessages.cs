namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>Command to accounting-sync: create the invoice in the tenant's QuickBooks company, exactly once.</summary>
public sealed record PostInvoice : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
    public required Guid CustomerId { get; init; }
    public string? AccountingCustomerRef { get; init; }
    public required string Currency { get; init; }
    public required IReadOnlyList<InvoiceLine> Lines { get; init; }
    public DateOnly InvoiceDate { get; init; }
    public DateOnly DueDate { get; init; }
    public string? Memo { get; init; }
}

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

public sealed record InvoiceSent : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
    public required DateTimeOffset SentAt { get; init; }
}

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
}

/// <summary>QuickBooks refused the tenant's refresh token: nothing posts until someone reconnects the company.</summary>
public sealed record QuickBooksReauthorizationRequired
{
    public required string TenantId { get; init; }
    public required string RealmId { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset DetectedAt { get; init; }
}

/// <summary>QuickBooks reported a change to one of the tenant's entities (webhook or CDC).</summary>
public sealed record QuickBooksEntityChanged
{
    public required string TenantId { get; init; }
    public required string RealmId { get; init; }
    public required string Entity { get; init; }
    public required string EntityId { get; init; }
    /// <summary>Create, Update, Delete, Merge, Void, Emailed.</summary>
    public required string Operation { get; init; }
    public DateTimeOffset? ChangedAt { get; init; }
    /// <summary>"webhook" or "cdc".</summary>
    public required string Source { get; init; }
}

/// <summary>QuickBooks refused an invoice for a reason a retry cannot fix; finance must act.</summary>
public sealed record InvoicePostingFailed : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
    /// <summary>The platform's error kind, e.g. Validation, NotFound, Authentication.</summary>
    public required string Kind { get; init; }
    public string? Code { get; init; }
    public required string Message { get; init; }
    public required DateTimeOffset FailedAt { get; init; }
}

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

/// <summary>
/// A customer's standing changed ("Good" or "Past due 30+"). Not an <see cref="IFlowMessage"/>: standing
/// belongs to the customer across all of its flows (deals), not to one flow, so there is no single FlowId.
/// </summary>
public sealed record AccountStandingChanged
{
    public required string TenantId { get; init; }
    public required Guid CustomerId { get; init; }
    /// <summary>The customer's CRM company as "source:externalId", e.g. "hubspot:9100000001" or "salesforce:001…".</summary>
    public required string CrmCompanyRef { get; init; }
    /// <summary>"Good" or "Past due 30+".</summary>
    public required string Standing { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}
