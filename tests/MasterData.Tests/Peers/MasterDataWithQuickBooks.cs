using MassTransit;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.MasterData.Extensions;
using QuoteToCash.Testing;
using QuoteToCash.Testing.Harness;

namespace QuoteToCash.MasterData.Tests.Peers;

/// <summary>master-data on the test harness with <see cref="QuickBooksPeer"/> answering for accounting-sync.</summary>
public static class MasterDataWithQuickBooks
{
    public static Task<ServiceHarness> StartAsync() =>
        ServiceHarness.StartAsync(x => { x.AddMasterDataHandlers(); x.AddConsumer<QuickBooksPeer>(); }, s => s.AddMasterDataServices(),
            cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Delivers a message and waits for what follows from it (QuickBooks' answer, the released deals).</summary>
    public static async Task DeliverAndSettleAsync<T>(this ServiceHarness harness, T message) where T : class
    {
        await harness.DeliverAsync(message);
        await harness.QuickBooksCaughtUpAsync();
    }

    /// <summary>Waits until no customer waits for QuickBooks any more, then for the messages that followed.</summary>
    public static async Task QuickBooksCaughtUpAsync(this ServiceHarness harness)
    {
        await harness.SettleAsync();
        Assert.True(await Polling.Eventually(async () =>
            (await harness.Store.Collection<GoldenCustomer>(GoldenCustomer.CollectionName).FindAsync(c => true, cancellationToken: TestContext.Current.CancellationToken))
                .All(c => c.Value.SyncState != AccountingSyncState.Pending)), "QuickBooks did not answer");
        await harness.SettleAsync();
    }
}
