using System.Text.Json;
using MassTransit;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Infrastructure.Inbound;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.AccountingSync.Consumers;

/// <summary>
/// One change read by the CDC sweep or by reconciliation, applied with the entity as it was read (no second read of the
/// entity itself). Payments still read the invoice they apply to, for its balance now.
/// </summary>
public sealed class InboundChangeConsumer(QboClient client, IUnitOfWork unitOfWork, TimeProvider time, ILogger<InboundChangeConsumer> logger)
    : IConsumer<ApplyQuickBooksChange>
{
    public async Task Consume(ConsumeContext<ApplyQuickBooksChange> context)
    {
        var change = context.Message;
        var connection = await unitOfWork.Store.Collection<QboConnection>(QboConnection.CollectionName).GetAsync(change.TenantId, context.CancellationToken);
        if (connection is not { Value.Status: QboConnectionStatus.Connected })
            return;
        var processor = new InboundChangeProcessor(client, unitOfWork, time, logger);
        var token = context.CancellationToken;
        try
        {
            switch (change.Entity)
            {
                case "Invoice":
                    await processor.ApplyInvoiceAsync(change.TenantId, change.EntityId, Read<QboInvoice>(change), token);
                    break;
                case "Payment":
                    await processor.ApplyPaymentAsync(change.TenantId, change.EntityId, Read<QboPayment>(change), token);
                    break;
                case "CreditMemo":
                    await processor.ApplyCreditMemoAsync(change.TenantId, Read<QboCreditMemo>(change), token);
                    break;
                default:
                    return;
            }
        }
        catch (QboException fault) when (fault.Kind == QboErrorKind.Authentication)
        {
            logger.LogWarning("QuickBooks {Entity} {Id} of tenant {Tenant} not applied: {Reason}", change.Entity, change.EntityId, change.TenantId, fault.Message);
            return;
        }
        processor.Flush();
    }

    private static T? Read<T>(ApplyQuickBooksChange change) where T : QboEntity =>
        change.Deleted || change.Payload is null ? null : JsonSerializer.Deserialize<T>(change.Payload, QboClient.Json);
}
