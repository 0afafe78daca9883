using MassTransit;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.CrmIngest.Infrastructure.WriteBack;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.CrmIngest.Consumers;

/// <summary>
/// Remembers which CRM deal (and company) each flow came from, so the write-back knows where an invoice's status goes.
/// Generic-ingest deals are recorded too: their source tells the write-back there is nothing to write.
/// </summary>
public sealed class WriteBackFlowRegistry(IUnitOfWork unitOfWork, TimeProvider time) : IConsumer<DealWon>
{
    public async Task Consume(ConsumeContext<DealWon> context)
    {
        var won = context.Message;
        var key = won.FlowId.ToString("D");
        var mapping = new FlowCrmObject
        {
            FlowId = won.FlowId,
            TenantId = won.TenantId,
            SourceSystem = won.SourceSystem,
            ExternalDealId = won.ExternalDealId,
            CompanyExternalId = string.IsNullOrEmpty(won.Customer.ExternalId) ? null : won.Customer.ExternalId,
            Recorded = time.GetUtcNow().UtcDateTime,
        };
        var existing = await unitOfWork.Store.Collection<FlowCrmObject>(FlowCrmObject.CollectionName).GetAsync(key, context.CancellationToken);
        if (existing is null)
            unitOfWork.Insert(FlowCrmObject.CollectionName, key, mapping);
        else if (existing.Value.SourceSystem != mapping.SourceSystem || existing.Value.ExternalDealId != mapping.ExternalDealId
                 || existing.Value.CompanyExternalId != mapping.CompanyExternalId || existing.Value.TenantId != mapping.TenantId)
            unitOfWork.Replace(FlowCrmObject.CollectionName, existing, mapping);
    }
}
