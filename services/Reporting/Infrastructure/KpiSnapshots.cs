using System.Collections.Concurrent;
using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.Reporting.Domain.ReadModels;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.Reporting.Infrastructure;

/// <summary>
/// A tenant's read models in memory for the KPI calculations, reloaded only when a read model changed: each request reads the
/// newest change stamp of each read-model collection (one index seek each) and reuses the loaded copy while they are unchanged.
/// </summary>
public sealed class KpiSnapshots(IDocumentStore store)
{
    private readonly ConcurrentDictionary<string, (string Stamp, KpiData Data)> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _load = new(1, 1);
    private int _indexed;

    public async Task<KpiData> ForTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        await EnsureIndexesAsync(cancellationToken);
        var stamp = await StampAsync(tenant, cancellationToken);
        if (_cache.TryGetValue(tenant, out var cached) && cached.Stamp == stamp)
            return cached.Data;
        await _load.WaitAsync(cancellationToken);
        try
        {
            if (_cache.TryGetValue(tenant, out cached) && cached.Stamp == stamp)
                return cached.Data;
            var data = new KpiData(
                await AllAsync<DealFact>(ReadModelCollections.Deals, tenant, cancellationToken),
                await AllAsync<InvoiceFact>(ReadModelCollections.Invoices, tenant, cancellationToken),
                await AllAsync<CustomerFact>(ReadModelCollections.Customers, tenant, cancellationToken),
                await AllAsync<ExceptionFact>(ReadModelCollections.Exceptions, tenant, cancellationToken));
            _cache[tenant] = (stamp, data);
            return data;
        }
        finally
        {
            _load.Release();
        }
    }

    /// <summary>Forgets a tenant's copy (after a rebuild).</summary>
    public void Forget(string tenant) => _cache.TryRemove(tenant, out _);

    private async Task<IReadOnlyList<T>> AllAsync<T>(string collection, string tenant, CancellationToken cancellationToken) where T : ReadModelDocument =>
        (await store.Collection<T>(collection).FindAsync(d => d.TenantId == tenant, cancellationToken: cancellationToken)).Select(d => d.Value).ToList();

    private async Task<string> StampAsync(string tenant, CancellationToken cancellationToken) =>
        string.Join('/',
            await NewestAsync<DealFact>(ReadModelCollections.Deals, tenant, cancellationToken),
            await NewestAsync<InvoiceFact>(ReadModelCollections.Invoices, tenant, cancellationToken),
            await NewestAsync<CustomerFact>(ReadModelCollections.Customers, tenant, cancellationToken),
            await NewestAsync<ExceptionFact>(ReadModelCollections.Exceptions, tenant, cancellationToken));

    private async Task<long> NewestAsync<T>(string collection, string tenant, CancellationToken cancellationToken) where T : ReadModelDocument =>
        (await store.Collection<T>(collection).FindPageAsync(d => d.TenantId == tenant, d => d.UpdatedTicks, descending: true, limit: 1, cancellationToken))
        .FirstOrDefault()?.Value.UpdatedTicks ?? 0;

    private async Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _indexed) == 1)
            return;
        await Index<DealFact>(ReadModelCollections.Deals);
        await Index<InvoiceFact>(ReadModelCollections.Invoices);
        await Index<CustomerFact>(ReadModelCollections.Customers);
        await Index<ExceptionFact>(ReadModelCollections.Exceptions);
        await store.Collection<StoredFact>(ReadModelCollections.Facts).EnsureIndexAsync("tenant", f => f.TenantId, cancellationToken: cancellationToken);
        Volatile.Write(ref _indexed, 1);

        async Task Index<T>(string collection) where T : ReadModelDocument
        {
            await store.Collection<T>(collection).EnsureIndexAsync("tenant", d => d.TenantId, cancellationToken: cancellationToken);
            await store.Collection<T>(collection).EnsureIndexAsync("updated", d => d.UpdatedTicks, cancellationToken: cancellationToken);
        }
    }
}
