using MassTransit;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.MasterData.Infrastructure;

namespace QuoteToCash.MasterData.Consumers;

/// <summary>
/// QuickBooks has the customer: its QuickBooks ID becomes a cross-reference and the deals waiting for it continue. A
/// display name QuickBooks made unique is recorded. An answer for an older revision never undoes a newer one.
/// </summary>
public sealed class CustomerSyncedConsumer(CustomerBook book) : IConsumer<CustomerSynced>
{
    public async Task Consume(ConsumeContext<CustomerSynced> context)
    {
        var message = context.Message;
        var loaded = await book.FindAsync(message.TenantId, message.CustomerId, context.CancellationToken);
        if (loaded is null || message.Revision < (loaded.Value.SyncedRevision ?? 0))
            return;
        var customer = loaded.Value;
        var policy = await book.PolicyAsync(message.TenantId, context.CancellationToken);
        var history = new List<FieldChange>();
        if (customer.AccountingReference() != message.AccountingCustomerRef)
        {
            history.Add(new FieldChange
            {
                Field = "accountingCustomerRef", OldValue = customer.AccountingReference(), NewValue = message.AccountingCustomerRef,
                Source = GoldenCustomer.AccountingSystem, Actor = "accounting-sync", At = book.Now,
                Reason = message.Linked ? message.Note ?? "linked to the existing QuickBooks customer" : "created in QuickBooks",
            });
            customer.SetAccountingReference(message.AccountingCustomerRef);
        }
        if (customer.Status != CustomerStatus.Merged && message.DisplayName != customer.DisplayName && message.Revision == customer.Revision)
        {
            history.Add(new FieldChange
            {
                Field = FieldNames.DisplayName, OldValue = CustomerFields.Get(FieldNames.DisplayName).Render(customer.DisplayName),
                NewValue = CustomerFields.Get(FieldNames.DisplayName).Render(message.DisplayName), Source = GoldenCustomer.AccountingSystem,
                Actor = "accounting-sync", At = book.Now, Reason = message.Note ?? "QuickBooks needs a unique display name",
            });
            customer.DisplayName = message.DisplayName;
        }
        var latest = message.Revision >= customer.Revision;
        customer.SyncedRevision = message.Revision;
        customer.SyncError = null;
        customer.SyncState = latest ? AccountingSyncState.Synced : AccountingSyncState.Pending;
        await book.CloseOpenItemAsync(customer, ReviewKind.AccountingSyncFailed, ReviewDecision.Superseded, "accounting-sync", "QuickBooks accepted the customer",
            context.CancellationToken);
        // What QuickBooks reported (its ID, a display name it made unique) is already there: no need to send it back.
        await book.SaveAsync(loaded, customer, history, policy, context.CancellationToken, accountingHasIt: latest);
    }
}
