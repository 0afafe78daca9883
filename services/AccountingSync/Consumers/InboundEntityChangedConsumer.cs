using MassTransit;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Infrastructure.Inbound;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.AccountingSync.Consumers;

/// <summary>
/// A webhook's change to an Invoice, Payment or CreditMemo: the entity is read from QuickBooks (webhooks carry only Ids) and
/// applied by <see cref="InboundChangeProcessor"/>. A tenant that is not connected, or needs re-authorisation, is skipped:
/// the CDC sweep after reconnection reads what happened meanwhile.
/// </summary>
public sealed class InboundEntityChangedConsumer(QboClient client, IUnitOfWork unitOfWork, TimeProvider time, ILogger<InboundEntityChangedConsumer> logger)
    : IConsumer<QuickBooksEntityChanged>
{
    public async Task Consume(ConsumeContext<QuickBooksEntityChanged> context)
    {
        var change = context.Message;
        if (!InboundOptions.Entities.Contains(change.Entity) || change.Source == InboundSources.Cdc || NothingToLearn(change))
        {
            unitOfWork.NotForThisConsumer(); // decided by the message alone, so a redelivery needs no inbox record to be passed over
            return;
        }
        var connection = await unitOfWork.Store.Collection<QboConnection>(QboConnection.CollectionName).GetAsync(change.TenantId, context.CancellationToken);
        if (connection is not { Value.Status: QboConnectionStatus.Connected } || connection.Value.RealmId != change.RealmId)
            return;
        var processor = new InboundChangeProcessor(client, unitOfWork, time, logger);
        try
        {
            await processor.ApplyCurrentAsync(change.TenantId, change.Entity, change.EntityId, context.CancellationToken);
        }
        catch (QboException fault) when (fault.Kind == QboErrorKind.Authentication)
        {
            logger.LogWarning("QuickBooks {Entity} {Id} of tenant {Tenant} not read: {Reason}; the next CDC sweep after reconnection catches up",
                change.Entity, change.EntityId, change.TenantId, fault.Message);
            return;
        }
        processor.Flush();
    }

    /// <summary>
    /// A created invoice is either one the platform just posted (its own write: nothing new) or someone else's (none of the
    /// platform's business), and "Emailed" changes nothing that is compared; neither is worth a read from QuickBooks'
    /// per-realm budget, which posting needs.
    /// </summary>
    public static bool NothingToLearn(QuickBooksEntityChanged change) =>
        (change.Entity == "Invoice" && change.Operation == "Create") || change.Operation == "Emailed";
}
