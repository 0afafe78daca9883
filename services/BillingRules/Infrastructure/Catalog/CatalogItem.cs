namespace QuoteToCash.BillingRules.Infrastructure.Catalog;

/// <summary>
/// billing-rules' copy of one approved item mapping from master data (or, under product key "*", the tenant's
/// default item): where a CRM product's revenue is booked in QuickBooks. Kept current by <c>ItemMappingChanged</c>.
/// </summary>
public sealed class CatalogItem
{
    public const string CollectionName = "item-catalog";

    public string TenantId { get; set; } = string.Empty;
    public string ProductKey { get; set; } = string.Empty;
    public string? ProductName { get; set; }
    /// <summary>Null when master data removed the mapping (or the default item).</summary>
    public string? ItemRef { get; set; }
    public string? IncomeAccountRef { get; set; }
    public string? ClassRef { get; set; }
    public string? DepartmentRef { get; set; }
    public string? TaxCodeRef { get; set; }
    public int Version { get; set; }
    public DateTime ChangedAt { get; set; }

    public static string KeyFor(string tenantId, string productKey) => $"{tenantId}|{productKey}";
}
