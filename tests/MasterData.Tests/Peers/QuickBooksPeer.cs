using MassTransit;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;

namespace QuoteToCash.MasterData.Tests.Peers;

/// <summary>
/// Stands in for accounting-sync in master-data's component tests: every customer it is asked for exists in
/// QuickBooks at once, under an ID derived from the golden customer ID. (accounting-sync's own tests cover the real thing.)
/// </summary>
public sealed class QuickBooksPeer : IConsumer<SyncCustomer>
{
    public static string RefOf(Guid customerId) => "QB" + (DeterministicId.Create("qbo", customerId.ToString("N")).GetHashCode() & 0x7fffffff);

    public Task Consume(ConsumeContext<SyncCustomer> context) => context.Publish(new CustomerSynced
    {
        TenantId = context.Message.TenantId,
        CustomerId = context.Message.CustomerId,
        Revision = context.Message.Revision,
        AccountingCustomerRef = context.Message.AccountingCustomerRef ?? RefOf(context.Message.CustomerId),
        DisplayName = context.Message.DisplayName,
        SyncedAt = DateTimeOffset.UnixEpoch,
    });
}
