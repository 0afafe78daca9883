using MassTransit;
using QuoteToCash.BillingRules.Infrastructure.Catalog;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.BillingRules.Consumers;

/// <summary>
/// Keeps billing's copy of master data's item mappings. A change older than the one already kept (a late or
/// re-delivered event) is ignored, so the copy only moves forward.
/// </summary>
public sealed class ItemMappingChangedConsumer(IUnitOfWork unitOfWork) : IConsumer<ItemMappingChanged>
{
    public async Task Consume(ConsumeContext<ItemMappingChanged> context)
    {
        var change = context.Message;
        var key = CatalogItem.KeyFor(change.TenantId, change.ProductKey);
        var existing = await unitOfWork.Store.Collection<CatalogItem>(CatalogItem.CollectionName).GetAsync(key, context.CancellationToken);
        var changedAt = change.ChangedAt.UtcDateTime;
        if (existing is not null && (existing.Value.ChangedAt > changedAt || (existing.Value.ChangedAt == changedAt && existing.Value.Version >= change.Version)))
            return;
        unitOfWork.InsertOrReplace(CatalogItem.CollectionName, key, existing, new CatalogItem
        {
            TenantId = change.TenantId,
            ProductKey = change.ProductKey,
            ProductName = change.ProductName,
            ItemRef = string.IsNullOrWhiteSpace(change.ItemRef) ? null : change.ItemRef,
            IncomeAccountRef = change.IncomeAccountRef,
            ClassRef = change.ClassRef,
            DepartmentRef = change.DepartmentRef,
            TaxCodeRef = change.TaxCodeRef,
            Version = change.Version,
            ChangedAt = changedAt,
        });
    }
}
