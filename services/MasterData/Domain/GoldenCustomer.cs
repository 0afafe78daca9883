using QuoteToCash.Contracts;

namespace QuoteToCash.MasterData.Domain;

public enum CustomerStatus
{
    /// <summary>Missing or invalid billing fields, or waiting for finance: never synced to accounting.</summary>
    Draft,

    /// <summary>Complete and approved: may be billed and synced.</summary>
    Approved,

    /// <summary>Merged into another customer, which carries its cross-references and flows from then on.</summary>
    Merged,
}

public enum TaxStatus
{
    Taxable,
    Exempt,
}

/// <summary>How the invoices of a child customer (a location, a subsidiary) are addressed.</summary>
public enum BillToPolicy
{
    BillSeparately,
    ConsolidateToParent,
}

/// <summary>Where the customer stands with the accounting system.</summary>
public enum AccountingSyncState
{
    NotSynced,
    Pending,
    Synced,
    Failed,
}

/// <summary>One system's identifier for the customer: a CRM company or account, or the QuickBooks customer.</summary>
public sealed class CrossReference
{
    public string System { get; set; } = string.Empty;
    public string ExternalId { get; set; } = string.Empty;

    public static CrossReference Of(string system, string externalId) =>
        new() { System = system.Trim().ToLowerInvariant(), ExternalId = externalId.Trim() };

    public bool Is(string system, string externalId) =>
        string.Equals(System, system.Trim(), StringComparison.OrdinalIgnoreCase) && ExternalId == externalId.Trim();
}

/// <summary>The golden customer record (MD-1). Its ID never changes; CRM and accounting IDs are cross-references.</summary>
public sealed class GoldenCustomer
{
    public const string CollectionName = "customers";
    public const string AccountingSystem = "quickbooks";

    public Guid CustomerId { get; set; }
    public string TenantId { get; set; } = string.Empty;
    public string DisplayName { get; set; } = string.Empty;
    public string LegalName { get; set; } = string.Empty;
    public string? Domain { get; set; }
    /// <summary>Kept whole for accounting; every answer, log and history view masks it.</summary>
    public string? TaxId { get; set; }
    public TaxStatus TaxStatus { get; set; }
    public string? TaxExemptionReason { get; set; }
    public string? TaxExemptionCertificate { get; set; }
    public PostalAddress? BillingAddress { get; set; }
    public PostalAddress? ShippingAddress { get; set; }
    public List<ContactPerson> Contacts { get; set; } = [];
    public List<CrossReference> CrossReferences { get; set; } = [];
    /// <summary>The parent's CRM reference ("system:id") until the parent is a golden customer of its own.</summary>
    public string? ParentCrmReference { get; set; }
    public Guid? ParentCustomerId { get; set; }
    public BillToPolicy BillToPolicy { get; set; }
    public string? PaymentTerms { get; set; }
    public string? Currency { get; set; }
    public CustomerStatus Status { get; set; }
    /// <summary>Every reason the customer cannot be billed yet, in finance language; empty when billable.</summary>
    public List<string> MissingFields { get; set; } = [];
    /// <summary>How many changes were applied to the record; a redelivered message never bumps it.</summary>
    public int Revision { get; set; }
    public string? ApprovedBy { get; set; }
    public DateTime? ApprovedAt { get; set; }
    public Guid? MergedInto { get; set; }
    public AccountingSyncState SyncState { get; set; }
    /// <summary>The revision last written to accounting.</summary>
    public int? SyncedRevision { get; set; }
    /// <summary>The revision last sent to accounting (written or not yet).</summary>
    public int? SyncRequestedRevision { get; set; }
    public string? SyncError { get; set; }
    public DateTime Created { get; set; }
    public DateTime Updated { get; set; }

    /// <summary>The QuickBooks customer ID, once the customer exists there.</summary>
    public string? AccountingReference() => CrossReferences.FirstOrDefault(r => r.System == AccountingSystem)?.ExternalId;

    public ContactPerson? BillingContact() => Contacts.FirstOrDefault(c => c.IsBillingContact);

    public bool HasReference(string system, string externalId) => CrossReferences.Any(r => r.Is(system, externalId));

    public void AddReference(string system, string externalId)
    {
        if (!HasReference(system, externalId))
            CrossReferences.Add(CrossReference.Of(system, externalId));
    }

    public void SetAccountingReference(string customerRef)
    {
        CrossReferences.RemoveAll(r => r.System == AccountingSystem);
        CrossReferences.Add(CrossReference.Of(AccountingSystem, customerRef));
    }
}
