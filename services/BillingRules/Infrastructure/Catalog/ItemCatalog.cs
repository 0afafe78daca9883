using QuoteToCash.BillingRules.Domain;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.BillingRules.Infrastructure.Catalog;

/// <summary>Reads billing's copy of the item mappings as drafting needs them.</summary>
public sealed class ItemCatalog(IDocumentStore store)
{
    /// <summary>The mappings of the given products that exist, and the tenant's default item when it has one.</summary>
    public async Task<(Dictionary<string, ItemTarget> Items, ItemTarget? DefaultItem)> ForAsync(string tenantId, IEnumerable<string?> productKeys,
        CancellationToken cancellationToken)
    {
        var collection = store.Collection<CatalogItem>(CatalogItem.CollectionName);
        var items = new Dictionary<string, ItemTarget>(StringComparer.Ordinal);
        foreach (var key in productKeys.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (await collection.GetAsync(CatalogItem.KeyFor(tenantId, key), cancellationToken) is { Value.ItemRef: not null } found)
                items[key] = ToTarget(found.Value);
        }
        var fallback = await collection.GetAsync(CatalogItem.KeyFor(tenantId, "*"), cancellationToken);
        return (items, fallback is { Value.ItemRef: not null } ? ToTarget(fallback.Value) : null);
    }

    private static ItemTarget ToTarget(CatalogItem item) => new()
    {
        ItemRef = item.ItemRef!,
        ItemName = item.ProductName,
        IncomeAccountRef = item.IncomeAccountRef,
        ClassRef = item.ClassRef,
        DepartmentRef = item.DepartmentRef,
        TaxCodeRef = item.TaxCodeRef,
    };
}
