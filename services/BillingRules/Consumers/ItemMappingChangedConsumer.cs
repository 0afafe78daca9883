using MassTransit;
using QuoteToCash.BillingRules.Domain;
using QuoteToCash.BillingRules.Infrastructure.Catalog;
using QuoteToCash.BillingRules.Messages;
using QuoteToCash.BillingRules.Sagas;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.BillingRules.Consumers;

/// <summary>
/// Keeps billing's copy of master data's item mappings. A change older than the one already kept (a late or
/// re-delivered event) is ignored, so the copy only moves forward. A new mapping releases the tenant's flows that
/// were held for a missing mapping: each drafts again and is held again only if something is still unmapped.
/// </summary>
public sealed class ItemMappingChangedConsumer(IUnitOfWork unitOfWork, SagaCollection<QuoteToCashState> flows) : IConsumer<ItemMappingChanged>
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
        if (string.IsNullOrWhiteSpace(change.ItemRef))
            return;
        var held = nameof(FlowStage.HeldForMapping);
        var waiting = await unitOfWork.Store.Collection<QuoteToCashState>(flows.Name)
            .FindAsync(f => f.TenantId == change.TenantId && f.CurrentState == held, cancellationToken: context.CancellationToken);
        foreach (var flow in waiting)
            unitOfWork.Publish(new RetryHeldFlow
            {
                TenantId = change.TenantId,
                FlowId = flow.Value.CorrelationId,
                Reason = $"{change.ProductKey} is mapped to item {change.ItemRef} now",
            });
    }
}
