using MassTransit;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Infrastructure.ReferenceData;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.AccountingSync.Consumers;

/// <summary>
/// Reads the tenant's QuickBooks lists, keeps them (with the closing date) for posting, and publishes AccountingReferenceDataChanged. A tenant that is no longer connected,
/// or whose connection needs re-authorisation, is skipped: there is nothing to read until someone reconnects it.
/// </summary>
public sealed class RefreshReferenceDataConsumer(ReferenceDataReader reader, ReferenceDataBook book, IUnitOfWork unitOfWork, ILogger<RefreshReferenceDataConsumer> logger)
    : IConsumer<RefreshReferenceData>
{
    public async Task Consume(ConsumeContext<RefreshReferenceData> context)
    {
        var tenantId = context.Message.TenantId;
        var connection = await unitOfWork.Store.Collection<QboConnection>(QboConnection.CollectionName).GetAsync(tenantId, context.CancellationToken);
        if (connection is null || connection.Value.Status != QboConnectionStatus.Connected)
        {
            logger.LogInformation("QuickBooks lists of tenant {Tenant} not read: it is not connected", tenantId);
            return;
        }
        AccountingReferenceDataChanged lists;
        try
        {
            lists = await reader.ReadAsync(tenantId, connection.Value.RealmId, context.CancellationToken);
        }
        catch (QboException fault) when (fault.Kind == QboErrorKind.Authentication)
        {
            logger.LogWarning("QuickBooks lists of tenant {Tenant} not read: {Reason}", tenantId, fault.Message);
            return;
        }
        await book.SaveAsync(lists, context.CancellationToken);
        await context.Publish(lists, context.CancellationToken);
    }
}
