namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>
/// Command to accounting-sync: make the golden customer exist in QuickBooks as master data has it now (create, or
/// sparse-update the customer named by <see cref="AccountingCustomerRef"/>). Without a reference, an existing QuickBooks
/// customer with the same display name or primary email is linked rather than a second one created. Idempotent per
/// (customer, revision): the QuickBooks requestid derives from both. Not a flow message: it belongs to a customer.
/// </summary>
public sealed record SyncCustomer
{
    public required string TenantId { get; init; }
    public required Guid CustomerId { get; init; }
    /// <summary>The master-data revision being written; an answer for an older revision is stale.</summary>
    public required int Revision { get; init; }
    public required string DisplayName { get; init; }
    public required string CompanyName { get; init; }
    public string? PrimaryEmail { get; init; }
    public string? Phone { get; init; }
    public PostalAddress? BillingAddress { get; init; }
    public PostalAddress? ShippingAddress { get; init; }
    public bool Taxable { get; init; } = true;
    /// <summary>Why the customer is exempt (free text recorded in master data); QuickBooks gets an exemption reason.</summary>
    public string? TaxExemptionReason { get; init; }
    /// <summary>The exemption certificate or resale number.</summary>
    public string? TaxExemptionCertificate { get; init; }
    /// <summary>QuickBooks terms by name (e.g. "Net 30").</summary>
    public string? PaymentTerms { get; init; }
    public string? Currency { get; init; }
    /// <summary>The parent's QuickBooks customer ID, for a sub-customer (Job/ParentRef).</summary>
    public string? ParentAccountingRef { get; init; }
    /// <summary>Invoices go to the parent (BillWithParent).</summary>
    public bool BillWithParent { get; init; }
    /// <summary>The QuickBooks customer ID when the customer was synced or linked before.</summary>
    public string? AccountingCustomerRef { get; init; }
    /// <summary>Make the QuickBooks customer inactive (a merged duplicate); only with <see cref="AccountingCustomerRef"/>.</summary>
    public bool MakeInactive { get; init; }
}

/// <summary>The customer exists in QuickBooks as of <see cref="Revision"/>.</summary>
public sealed record CustomerSynced
{
    public required string TenantId { get; init; }
    public required Guid CustomerId { get; init; }
    public required int Revision { get; init; }
    public required string AccountingCustomerRef { get; init; }
    /// <summary>The display name QuickBooks holds; differs from the requested one when a collision forced a suffix.</summary>
    public required string DisplayName { get; init; }
    /// <summary>True when an existing QuickBooks customer was linked instead of created.</summary>
    public bool Linked { get; init; }
    /// <summary>Why the display name or link differs from what was asked, in plain language.</summary>
    public string? Note { get; init; }
    public required DateTimeOffset SyncedAt { get; init; }
}

/// <summary>QuickBooks refused the customer; the reason is written for finance.</summary>
public sealed record CustomerSyncFailed
{
    public required string TenantId { get; init; }
    public required Guid CustomerId { get; init; }
    public required int Revision { get; init; }
    /// <summary>The fault kind (Validation, DuplicateName, Authentication, NotConnected, …).</summary>
    public required string Kind { get; init; }
    public string? Code { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset FailedAt { get; init; }
}
