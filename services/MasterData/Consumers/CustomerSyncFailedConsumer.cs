using MassTransit;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.MasterData.Infrastructure;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.MasterData.Consumers;

/// <summary>
/// QuickBooks refused the customer: finance gets an AccountingSyncFailed review item with the reason, and the deals
/// waiting for the customer hear why. A failure for an older revision than the one last written is ignored.
/// </summary>
public sealed class CustomerSyncFailedConsumer(CustomerBook book, IUnitOfWork unitOfWork) : IConsumer<CustomerSyncFailed>
{
    public async Task Consume(ConsumeContext<CustomerSyncFailed> context)
    {
        var message = context.Message;
        var loaded = await book.FindAsync(message.TenantId, message.CustomerId, context.CancellationToken);
        if (loaded is null || message.Revision < (loaded.Value.SyncedRevision ?? 0) || message.Revision < (loaded.Value.SyncRequestedRevision ?? 0))
            return;
        var customer = loaded.Value;
        customer.SyncState = AccountingSyncState.Failed;
        customer.SyncError = message.Reason;
        unitOfWork.Replace(GoldenCustomer.CollectionName, loaded, customer);

        var key = ReviewItem.KeyFor(ReviewKind.AccountingSyncFailed, customer.CustomerId);
        var existing = await unitOfWork.Store.Collection<ReviewItem>(ReviewItem.CollectionName).GetAsync(key, context.CancellationToken);
        unitOfWork.InsertOrReplace(ReviewItem.CollectionName, key, existing, new ReviewItem
        {
            ItemId = key, TenantId = customer.TenantId, Kind = ReviewKind.AccountingSyncFailed, CustomerId = customer.CustomerId,
            CustomerName = customer.DisplayName, Reasons = [$"QuickBooks refused the customer: {message.Reason}"], Status = ReviewStatus.Open,
            Opened = existing?.Value.Status == ReviewStatus.Open ? existing.Value.Opened : book.Now, Updated = book.Now,
        });
        await book.TellWaitingFlowsAsync(customer, [$"QuickBooks refused the customer: {message.Reason}"], context.CancellationToken);
    }
}
