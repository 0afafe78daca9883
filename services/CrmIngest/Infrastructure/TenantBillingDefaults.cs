using QuoteToCash.Contracts;
using QuoteToCash.CrmIngest.Domain;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.CrmIngest.Infrastructure;

/// <summary>A tenant's billing defaults as stored, keyed by tenant: what deals' billing terms leave out, and where each CRM keeps them.</summary>
public sealed class TenantBillingDefaults
{
    public const string CollectionName = "billing-defaults";

    public string TenantId { get; set; } = string.Empty;
    public BillingModel Model { get; set; } = BillingModel.FixedFee;
    public BillingPeriod Period { get; set; } = BillingPeriod.Monthly;
    public string? PaymentTerms { get; set; }
    public List<StoredTenantRate> RateCard { get; set; } = [];
    public StoredCrmFields HubSpotFields { get; set; } = StoredCrmFields.From(CrmBillingFields.HubSpotDefaults);
    public StoredCrmFields SalesforceFields { get; set; } = StoredCrmFields.From(CrmBillingFields.SalesforceDefaults);
    public DateTime Updated { get; set; }
    public string? UpdatedBy { get; set; }

    public BillingDefaults ToDefaults() => new()
    {
        Model = Model,
        Period = Period,
        PaymentTerms = PaymentTerms,
        RateCard = RateCard.Select(r => new TenantRate(r.Role, r.Rate, r.Currency, r.Product)).ToList(),
        HubSpot = HubSpotFields.ToFields(),
        Salesforce = SalesforceFields.ToFields(),
    };

    public static TenantBillingDefaults From(string tenantId, BillingDefaults defaults, DateTime updated, string? updatedBy) => new()
    {
        TenantId = tenantId,
        Model = defaults.Model,
        Period = defaults.Period,
        PaymentTerms = defaults.PaymentTerms,
        RateCard = defaults.RateCard.Select(r => new StoredTenantRate { Role = r.Role, Rate = r.Rate, Currency = r.Currency, Product = r.Product }).ToList(),
        HubSpotFields = StoredCrmFields.From(defaults.HubSpot),
        SalesforceFields = StoredCrmFields.From(defaults.Salesforce),
        Updated = updated,
        UpdatedBy = updatedBy,
    };

    /// <summary>The tenant's defaults, or <see cref="BillingDefaults.None"/> when it has set none.</summary>
    public static async Task<BillingDefaults> ForTenantAsync(IDocumentStore store, string tenantId, CancellationToken cancellationToken) =>
        (await store.Collection<TenantBillingDefaults>(CollectionName).GetAsync(tenantId, cancellationToken))?.Value.ToDefaults() ?? BillingDefaults.None;
}

/// <summary>One role's standard hourly rate in one currency, as stored.</summary>
public sealed class StoredTenantRate
{
    public string Role { get; set; } = string.Empty;
    public decimal Rate { get; set; }
    public string Currency { get; set; } = string.Empty;
    public string? Product { get; set; }
}

/// <summary>The names of one CRM's billing fields, as stored.</summary>
public sealed class StoredCrmFields
{
    public string Model { get; set; } = string.Empty;
    public string Terms { get; set; } = string.Empty;
    public string PaymentTerms { get; set; } = string.Empty;
    public string PurchaseOrder { get; set; } = string.Empty;
    public string Parameters { get; set; } = string.Empty;

    public CrmBillingFields ToFields() => new(Model, Terms, PaymentTerms, PurchaseOrder, Parameters);

    public static StoredCrmFields From(CrmBillingFields fields) => new()
    {
        Model = fields.Model, Terms = fields.Terms, PaymentTerms = fields.PaymentTerms, PurchaseOrder = fields.PurchaseOrder, Parameters = fields.Parameters,
    };
}
