namespace QuoteToCash.WebApp.Models;

// What master-data answers (services/MasterData/Apis/*.cs), as the pages read it.

public sealed record DuplicateCandidate(Guid CustomerId, string DisplayName, decimal Score, IReadOnlyList<string> Reasons);

/// <summary>One item of finance's review queue.</summary>
public sealed record ReviewItem(string ItemId, string Kind, Guid CustomerId, string CustomerName, IReadOnlyList<string> Reasons,
    IReadOnlyList<DuplicateCandidate> Candidates, string? Field, string? ProposedValue, string? ProposedBy, string Status, string? Decision,
    string? Note, string? ResolvedBy, DateTime Opened, DateTime? Resolved);

public sealed record PostalAddress(string? Line1, string? Line2, string? City, string? Region, string? PostalCode, string? Country)
{
    public override string ToString() => string.Join(", ", new[] { Line1, Line2, City, Region, PostalCode, Country }.Where(p => !string.IsNullOrWhiteSpace(p)));
}

public sealed record ContactPerson(string? FirstName, string? LastName, string? Email, string? Phone, bool IsBillingContact);

public sealed record CrossReference(string System, string ExternalId);

/// <summary>A golden customer (tax ID masked by the service).</summary>
public sealed record Customer(Guid CustomerId, string Status, string DisplayName, string LegalName, string? Domain, string? TaxId, string? TaxStatus,
    PostalAddress? BillingAddress, IReadOnlyList<ContactPerson> Contacts, IReadOnlyList<CrossReference> CrossReferences, string? AccountingCustomerRef,
    string? PaymentTerms, string? EffectivePaymentTerms, string? Currency, IReadOnlyList<string> MissingFields, string? ApprovedBy, DateTime? ApprovedAt,
    Guid? MergedInto, string? SyncState, string? SyncError, int Revision, DateTime Created, DateTime Updated)
{
    public string? BillingEmail => Contacts.FirstOrDefault(c => c.IsBillingContact)?.Email ?? Contacts.FirstOrDefault()?.Email;
}

public sealed record CustomerChange(Customer Customer, IReadOnlyList<string> Applied, IReadOnlyList<ReviewItem> Opened);

/// <summary>One change in a customer's field history (values as JSON).</summary>
public sealed record FieldHistoryEntry(string Field, string? OldValue, string? NewValue, string Source, string Actor, DateTime At, string? Reason);

/// <summary>The master-data policy: who owns each field, and the payment terms the tenant uses.</summary>
public sealed record MasterDataPolicy(IReadOnlyList<string> RequiredFields, IReadOnlyList<string> PaymentTerms, string? DefaultPaymentTerms,
    bool AutoApproveComplete, IReadOnlyDictionary<string, string> FieldOwners, decimal DuplicateReviewThreshold, string? DefaultItemRef,
    bool SyncToAccounting, DateTime? Updated, string? UpdatedBy);

public sealed record ItemTarget(string ItemRef, string? IncomeAccountRef, string? ClassRef, string? DepartmentRef, string? TaxCodeRef);

public sealed record PendingMapping(ItemTarget Target, string RequestedBy, DateTime Requested, string? Note);

public sealed record ItemMapping(string ProductKey, string? ProductName, ItemTarget Target, int Version, string ChangedBy, DateTime Changed,
    PendingMapping? Pending);

public sealed record CurrencyCoverage(string Currency, decimal WonRevenue, decimal MappedRevenue, decimal DefaultItemRevenue, decimal MappedShare);

public sealed record UnmappedProduct(string ProductKey, string ProductName, string Currency, decimal Revenue, int Deals);

/// <summary>How much of the won revenue lands on a mapped QuickBooks item.</summary>
public sealed record MappingCoverage(DateTime From, DateTime To, IReadOnlyList<CurrencyCoverage> ByCurrency, int DefaultItemUses,
    IReadOnlyList<UnmappedProduct> TopUnmapped);
