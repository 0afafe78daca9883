namespace QuoteToCash.MasterData.Domain;

/// <summary>Which side's word counts for a field: the CRM's sync or finance's edits.</summary>
public enum FieldOwner
{
    Crm,
    Finance,
}

/// <summary>A field a tenant may require before a customer can be billed.</summary>
public enum RequiredField
{
    BillingContactEmail,
    BillingAddress,
    PaymentTerms,
    Currency,
    TaxId,
}

/// <summary>A tenant's master-data rules: what a billable customer needs, which terms exist, and who owns which field.</summary>
public sealed class MasterDataPolicy
{
    public const string CollectionName = "master-data-policies";

    public static readonly IReadOnlyList<string> StandardTerms = ["Due on receipt", "Net 15", "Net 30", "Net 60"];

    public string TenantId { get; set; } = string.Empty;
    public List<RequiredField> RequiredFields { get; set; } = [RequiredField.BillingContactEmail, RequiredField.BillingAddress, RequiredField.PaymentTerms];
    /// <summary>The accounting system's payment terms the tenant uses, by name.</summary>
    public List<string> PaymentTerms { get; set; } = StandardTerms.ToList();
    /// <summary>Terms a customer without terms of its own gets (a HubSpot company has none); they satisfy the requirement.</summary>
    public string? DefaultPaymentTerms { get; set; } = "Net 30";
    /// <summary>Approve a customer as soon as it is complete and has no open duplicate question; otherwise finance approves each one.</summary>
    public bool AutoApproveComplete { get; set; } = true;
    /// <summary>Overrides of <see cref="CustomerField.DefaultOwner"/>, by field name.</summary>
    public Dictionary<string, FieldOwner> FieldOwners { get; set; } = [];
    /// <summary>A candidate scoring at least this much is put to finance as a potential duplicate.</summary>
    public decimal DuplicateReviewThreshold { get; set; } = 0.80m;
    /// <summary>
    /// Billable customers are written to QuickBooks, and a deal continues only once its customer exists there (so an
    /// invoice can name it). Off for a tenant that rehearses without an accounting connection.
    /// </summary>
    public bool SyncToAccounting { get; set; } = true;
    /// <summary>The one QuickBooks item an unmapped product may fall back to, when the tenant opts in; its use is counted.</summary>
    public string? DefaultItemRef { get; set; }
    public DateTime Updated { get; set; }
    public string? UpdatedBy { get; set; }

    public static MasterDataPolicy Default(string tenantId) => new() { TenantId = tenantId };

    public FieldOwner OwnerOf(CustomerField field) => FieldOwners.TryGetValue(field.Name, out var owner) ? owner : field.DefaultOwner;

    public bool Requires(RequiredField field) => RequiredFields.Contains(field);

    /// <summary>The tenant's spelling of the terms, or null when the tenant has no such terms.</summary>
    public string? KnownTerms(string terms) =>
        PaymentTerms.FirstOrDefault(t => string.Equals(t, terms.Trim(), StringComparison.OrdinalIgnoreCase));

    public string? EffectiveTerms(GoldenCustomer customer) => customer.PaymentTerms ?? DefaultPaymentTerms;

    /// <summary>The duplicate scoring with the tenant's review threshold.</summary>
    public Matching.MatchingPolicy Matching() => Domain.Matching.MatchingPolicy.Default with { ReviewThreshold = (double)DuplicateReviewThreshold };
}
