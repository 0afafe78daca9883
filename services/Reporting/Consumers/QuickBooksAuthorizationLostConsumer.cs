using MassTransit;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Reporting.Domain;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.Reporting.Consumers;

/// <summary>Keeps each loss of a tenant's QuickBooks authorisation, for the CFO dashboard's connection incidents.</summary>
public sealed class QuickBooksAuthorizationLostConsumer(IUnitOfWork unitOfWork) : IConsumer<QuickBooksReauthorizationRequired>
{
    public async Task Consume(ConsumeContext<QuickBooksReauthorizationRequired> context)
    {
        var lost = context.Message;
        var key = QuickBooksAuthorizationLoss.KeyFor(lost.TenantId, lost.RealmId, lost.DetectedAt);
        if (await unitOfWork.Store.Collection<QuickBooksAuthorizationLoss>(QuickBooksAuthorizationLoss.CollectionName).GetAsync(key, context.CancellationToken) is not null)
            return;
        unitOfWork.Insert(QuickBooksAuthorizationLoss.CollectionName, key, new QuickBooksAuthorizationLoss
        {
            TenantId = lost.TenantId,
            RealmId = lost.RealmId,
            Reason = lost.Reason,
            DetectedAt = lost.DetectedAt.UtcDateTime,
        });
    }
}
