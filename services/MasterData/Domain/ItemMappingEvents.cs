using QuoteToCash.Contracts.MasterData;

namespace QuoteToCash.MasterData.Domain;

/// <summary>The events that tell billing where a product's revenue goes now.</summary>
public static class ItemMappingEvents
{
    /// <summary>The product key under which the tenant's default item travels.</summary>
    public const string DefaultItemKey = "*";

    public static ItemMappingChanged ToChangedEvent(this ItemMapping mapping, DateTime at) => new()
    {
        TenantId = mapping.TenantId,
        ProductKey = mapping.ProductKey,
        ProductName = mapping.ProductName,
        ItemRef = mapping.Target.ItemRef,
        IncomeAccountRef = mapping.Target.IncomeAccountRef,
        ClassRef = mapping.Target.ClassRef,
        DepartmentRef = mapping.Target.DepartmentRef,
        TaxCodeRef = mapping.Target.TaxCodeRef,
        Version = mapping.Version,
        ChangedAt = new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)),
    };

    public static ItemMappingChanged DefaultItemChanged(string tenantId, string? itemRef, DateTime at) => new()
    {
        TenantId = tenantId,
        ProductKey = DefaultItemKey,
        ProductName = "Default item",
        ItemRef = itemRef,
        ChangedAt = new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)),
    };
}
