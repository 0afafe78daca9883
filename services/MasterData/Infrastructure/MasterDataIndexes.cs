using QuoteToCash.MasterData.Domain;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.MasterData.Infrastructure;

/// <summary>
/// The secondary indexes master data's questions need, made at start. Without them every question reads the whole
/// collection: releasing the flows that wait for a customer (asked on every resolution) grew with every deal ever seen.
/// </summary>
public sealed class MasterDataIndexes(IDocumentStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.Collection<CustomerFlow>(CustomerFlow.CollectionName).EnsureIndexAsync("customer", f => f.CustomerId, cancellationToken: cancellationToken);
        await store.Collection<CustomerHistoryEntry>(CustomerHistoryEntry.CollectionName).EnsureIndexAsync("customer", h => h.CustomerId, cancellationToken: cancellationToken);
        await store.Collection<ReviewItem>(ReviewItem.CollectionName).EnsureIndexAsync("tenant", i => i.TenantId, cancellationToken: cancellationToken);
        await store.Collection<GoldenCustomer>(GoldenCustomer.CollectionName).EnsureIndexAsync("tenant", c => c.TenantId, cancellationToken: cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
