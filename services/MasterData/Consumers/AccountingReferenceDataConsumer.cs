using MassTransit;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.MasterData.Consumers;

/// <summary>Keeps the tenant's copy of QuickBooks' lists; an older report never replaces a newer one.</summary>
public sealed class AccountingReferenceDataConsumer(IUnitOfWork unitOfWork) : IConsumer<AccountingReferenceDataChanged>
{
    public async Task Consume(ConsumeContext<AccountingReferenceDataChanged> context)
    {
        var message = context.Message;
        var existing = await unitOfWork.Store.Collection<AccountingReferenceData>(AccountingReferenceData.CollectionName)
            .GetAsync(message.TenantId, context.CancellationToken);
        if (existing is not null && existing.Value.AsOf >= message.AsOf.UtcDateTime)
            return;
        static List<ReferenceEntry> Entries(IEnumerable<AccountingListEntry> list) =>
            list.Select(e => new ReferenceEntry { Id = e.Id, Name = e.Name, Active = e.Active }).ToList();
        unitOfWork.InsertOrReplace(AccountingReferenceData.CollectionName, message.TenantId, existing, new AccountingReferenceData
        {
            TenantId = message.TenantId,
            Items = Entries(message.Items),
            IncomeAccounts = Entries(message.IncomeAccounts),
            Classes = Entries(message.Classes),
            Departments = Entries(message.Departments),
            TaxCodes = Entries(message.TaxCodes),
            Terms = Entries(message.Terms),
            Currencies = message.Currencies.ToList(),
            AsOf = message.AsOf.UtcDateTime,
        });
    }
}
