using MassTransit;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.MasterData.Infrastructure;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.MasterData.Consumers;

/// <summary>
/// Checks every product line of a won deal against the item mappings: an unmapped product opens (or adds the deal to)
/// a MappingMissing review item naming the product and the deal, unless the tenant opted into a default item, whose
/// use is then counted. The lines are kept for the coverage report.
/// </summary>
public sealed class WonDealProductsConsumer(IUnitOfWork unitOfWork, CustomerBook book) : IConsumer<DealWon>
{
    public async Task Consume(ConsumeContext<DealWon> context)
    {
        var deal = context.Message;
        var policy = await book.PolicyAsync(deal.TenantId, context.CancellationToken);
        var mappings = unitOfWork.Store.Collection<ItemMapping>(ItemMapping.CollectionName);
        var missing = new Dictionary<string, (string Name, List<string> Deals)>();
        for (var i = 0; i < deal.Lines.Count; i++)
        {
            var line = deal.Lines[i];
            if (line is null)
                continue;
            var productKey = ItemMapping.ProductKeyOf(line.ProductId, line.Sku, line.Description ?? "");
            var mapped = await mappings.GetAsync(ItemMapping.KeyFor(deal.TenantId, productKey), context.CancellationToken) is not null;
            var usedDefault = !mapped && policy.DefaultItemRef is not null;
            unitOfWork.Upsert(WonProductLine.CollectionName, WonProductLine.KeyFor(deal.FlowId, i), new WonProductLine
            {
                TenantId = deal.TenantId, FlowId = deal.FlowId, DealName = deal.DealName, ProductKey = productKey,
                ProductName = line.Description ?? productKey, Revenue = ItemMappingRules.LineRevenue(line.Quantity, line.UnitPrice, line.DiscountPercent),
                Currency = deal.Currency, WonAt = deal.WonAt.UtcDateTime, UsedDefaultItem = usedDefault,
            });
            if (!mapped && !usedDefault)
                missing.TryAdd(productKey, (line.Description ?? productKey, []));
        }
        foreach (var (productKey, (name, _)) in missing)
            await OpenMissingMappingAsync(deal, productKey, name, context.CancellationToken);
    }

    private async Task OpenMissingMappingAsync(DealWon deal, string productKey, string productName, CancellationToken cancellationToken)
    {
        var key = ReviewItem.MappingKeyFor(deal.TenantId, productKey);
        var existing = await unitOfWork.Store.Collection<ReviewItem>(ReviewItem.CollectionName).GetAsync(key, cancellationToken);
        var item = existing?.Value ?? new ReviewItem
        {
            ItemId = key, TenantId = deal.TenantId, Kind = ReviewKind.MappingMissing, ProductKey = productKey, CustomerName = "", Opened = book.Now,
        };
        if (item.Status == ReviewStatus.Resolved)
            item.Reopen(book.Now);
        if (item.FlowIds.Contains(deal.FlowId))
            return;
        item.FlowIds.Add(deal.FlowId);
        item.Reasons.Add($"product '{productName}' ({productKey}) on deal '{deal.DealName}' has no QuickBooks item mapping");
        item.Updated = book.Now;
        unitOfWork.InsertOrReplace(ReviewItem.CollectionName, key, existing, item);
    }
}
