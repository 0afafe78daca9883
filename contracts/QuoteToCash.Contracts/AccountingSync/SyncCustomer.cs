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
