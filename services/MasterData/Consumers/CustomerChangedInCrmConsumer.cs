using MassTransit;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.MasterData.Infrastructure;

namespace QuoteToCash.MasterData.Consumers;

/// <summary>
/// A company or account changed in the CRM: the golden customer takes the fields the CRM owns; a change to a field
/// finance owns becomes an ownership conflict for finance. A customer that becomes billable releases its waiting flows.
/// </summary>
public sealed class CustomerChangedInCrmConsumer(CustomerBook book) : IConsumer<CustomerChangedInCrm>
{
    public Task Consume(ConsumeContext<CustomerChangedInCrm> context) =>
        CrmCustomerSync.ApplyAsync(book, context.Message.TenantId, context.Message.SourceSystem, context.Message.Customer, context.CancellationToken);
}
