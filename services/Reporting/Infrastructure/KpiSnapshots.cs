using System.Collections.Concurrent;
using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.Reporting.Domain.ReadModels;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.Reporting.Infrastructure;

/// <summary>
/// A tenant's read models in memory for the KPI calculations: each request reads the newest change stamp of each read-model
/// collection (one index seek each) and reuses the loaded copy while they are unchanged; when they moved, only the documents
/// changed since are read and merged. A rebuild on this replica forgets the copy; a rebuild elsewhere re-stamps every document.
/// </summary>
public sealed class KpiSnapshots(IDocumentStore store)
{
    private readonly ConcurrentDictionary<string, Snapshot> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _load = new(1, 1);
    private int _indexed;

    /// <summary>A tenant's documents by key, the newest change stamp seen, and the indexed data built from them.</summary>
    private sealed record Snapshot(string Stamp, long Through, Dictionary<string, ReadModelDocument>[] Documents, KpiData Data);

    private static readonly TimeSpan StampMargin = TimeSpan.FromMinutes(2);

    private static readonly string[] Collections =
        [ReadModelCollections.Deals, ReadModelCollections.Invoices, ReadModelCollections.Customers, ReadModelCollections.Exceptions];

    public async Task<KpiData> ForTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        await EnsureIndexesAsync(cancellationToken);
        var stamp = await StampAsync(cancellationToken);
        if (_cache.TryGetValue(tenant, out var cached) && cached.Stamp == stamp)
            return cached.Data;
        await _load.WaitAsync(cancellationToken);
        try
        {
            if (_cache.TryGetValue(tenant, out cached) && cached.Stamp == stamp)
                return cached.Data;
            // After the first load only what changed since is read (an index range on the change stamp), then merged.
            // Re-read a margin before the newest stamp seen, for writes of other replicas whose clocks lag.
            var since = cached is null ? 0 : Math.Max(1, cached.Through - StampMargin.Ticks);
            var documents = cached?.Documents.Select(d => new Dictionary<string, ReadModelDocument>(d, StringComparer.Ordinal)).ToArray()
                ?? Collections.Select(_ => new Dictionary<string, ReadModelDocument>(StringComparer.Ordinal)).ToArray();
            var through = since;
            for (var c = 0; c < Collections.Length; c++)
            {
                var changed = Collections[c] switch
                {
                    ReadModelCollections.Deals => await ChangedAsync<DealFact>(Collections[c], tenant, since, cancellationToken),
                    ReadModelCollections.Invoices => await ChangedAsync<InvoiceFact>(Collections[c], tenant, since, cancellationToken),
                    ReadModelCollections.Customers => await ChangedAsync<CustomerFact>(Collections[c], tenant, since, cancellationToken),
                    _ => await ChangedAsync<ExceptionFact>(Collections[c], tenant, since, cancellationToken),
                };
                foreach (var (id, document) in changed)
                {
                    documents[c][id] = document;
                    through = Math.Max(through, document.UpdatedTicks);
                }
            }
            var data = Build(documents);
            _cache[tenant] = new Snapshot(stamp, through, documents, data);
            return data;
        }
        finally
        {
            _load.Release();
        }
    }

    private async Task<IReadOnlyList<(string Id, ReadModelDocument Document)>> ChangedAsync<T>(string collection, string tenant, long since,
        CancellationToken cancellationToken) where T : ReadModelDocument =>
        (since == 0
            ? await store.Collection<T>(collection).FindAsync(d => d.TenantId == tenant, cancellationToken: cancellationToken)
            : (await store.Collection<T>(collection).FindAsync(d => d.UpdatedTicks > since, cancellationToken: cancellationToken)).Where(d => d.Value.TenantId == tenant).ToList())
        .Select(d => (d.Id, (ReadModelDocument)d.Value)).ToList();

    /// <summary>Forgets a tenant's copy (after a rebuild).</summary>
    public void Forget(string tenant) => _cache.TryRemove(tenant, out _);

    /// <summary>The tenant's copy as held now, without looking at the store; null when none is loaded.</summary>
    public KpiData? Cached(string tenant) => _cache.TryGetValue(tenant, out var cached) ? cached.Data : null;

    /// <summary>
    /// Loads every tenant's copy with one read of each read-model collection (at start, so that no tenant's first request pays
    /// for it). A tenant already loaded under the same change stamp is left as it is. Returns the tenants loaded.
    /// </summary>
    public async Task<IReadOnlyList<string>> WarmAsync(CancellationToken cancellationToken)
    {
        await EnsureIndexesAsync(cancellationToken);
        await _load.WaitAsync(cancellationToken);
        try
        {
            // The stamp is read before the documents: a write in between makes the next request see a newer stamp and re-read it.
            var stamp = await StampAsync(cancellationToken);
            var all = new[]
            {
                await AllAsync<DealFact>(ReadModelCollections.Deals, cancellationToken),
                await AllAsync<InvoiceFact>(ReadModelCollections.Invoices, cancellationToken),
                await AllAsync<CustomerFact>(ReadModelCollections.Customers, cancellationToken),
                await AllAsync<ExceptionFact>(ReadModelCollections.Exceptions, cancellationToken),
            };
            var tenants = all.SelectMany(c => c.Select(d => d.Document.TenantId)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var loaded = new List<string>();
            foreach (var tenant in tenants)
            {
                if (_cache.TryGetValue(tenant, out var cached) && cached.Stamp == stamp)
                    continue;
                var documents = all.Select(c => c.Where(d => d.Document.TenantId == tenant).ToDictionary(d => d.Id, d => d.Document, StringComparer.Ordinal)).ToArray();
                var through = documents.SelectMany(d => d.Values).Select(d => d.UpdatedTicks).DefaultIfEmpty(0).Max();
                _cache[tenant] = new Snapshot(stamp, through, documents, Build(documents));
                loaded.Add(tenant);
            }
            return loaded;
        }
        finally
        {
            _load.Release();
        }
    }

    private static KpiData Build(Dictionary<string, ReadModelDocument>[] documents) =>
        new(documents[0].Values.Cast<DealFact>().ToList(), documents[1].Values.Cast<InvoiceFact>().ToList(),
            documents[2].Values.Cast<CustomerFact>().ToList(), documents[3].Values.Cast<ExceptionFact>().ToList());

    private async Task<IReadOnlyList<(string Id, ReadModelDocument Document)>> AllAsync<T>(string collection, CancellationToken cancellationToken)
        where T : ReadModelDocument =>
        (await store.Collection<T>(collection).FindAsync(d => d.UpdatedTicks >= 0, cancellationToken: cancellationToken))
        .Select(d => (d.Id, (ReadModelDocument)d.Value)).ToList();

    private async Task<string> StampAsync(CancellationToken cancellationToken) =>
        string.Join('/',
            await NewestAsync<DealFact>(ReadModelCollections.Deals, cancellationToken),
            await NewestAsync<InvoiceFact>(ReadModelCollections.Invoices, cancellationToken),
            await NewestAsync<CustomerFact>(ReadModelCollections.Customers, cancellationToken),
            await NewestAsync<ExceptionFact>(ReadModelCollections.Exceptions, cancellationToken));

    // The newest stamp of the whole collection, not of the tenant: ordering by the indexed stamp alone lets the engine read one index
    // entry, where a tenant filter would make it sort all of the tenant's documents. Another tenant's change costs only a reload.
    private async Task<string> NewestAsync<T>(string collection, CancellationToken cancellationToken) where T : ReadModelDocument =>
        (await store.Collection<T>(collection).FindPageAsync(d => d.UpdatedTicks > 0, d => d.UpdatedTicks, descending: true, limit: 1, cancellationToken))
        .FirstOrDefault() is { } newest ? $"{newest.Id}@{newest.Value.UpdatedTicks}" : "0";

    /// <summary>Creates the read models' indexes (tenant, change stamp) once; idempotent.</summary>
    public async Task EnsureIndexesAsync(CancellationToken cancellationToken)
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
