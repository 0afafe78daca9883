using System.Diagnostics;
using System.Text.Json;
using QuoteToCash.Reporting.Apis;
using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.Reporting.Consumers;
using QuoteToCash.Reporting.Domain.ReadModels;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.Reporting.Infrastructure;

/// <summary>
/// Rebuilds a tenant's read models from reporting's stored facts: replays every fact, in the order received, through the same
/// projector the consumers use, then replaces the tenant's read-model documents with the result (in batches).
/// </summary>
public sealed class ReadModelRebuilder(IDocumentStore store, TimeProvider time, KpiSnapshots snapshots)
{
    private const int BatchSize = 500;
    private static readonly Dictionary<string, Type> EventTypes = ReadModelProjector.EventTypes.ToDictionary(t => t.FullName!, StringComparer.Ordinal);

    public async Task<RebuildView> RebuildAsync(string tenant, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var facts = (await store.Collection<StoredFact>(ReadModelCollections.Facts).FindAsync(f => f.TenantId == tenant, cancellationToken: cancellationToken))
            .OrderBy(f => f.Value.ReceivedTicks).ThenBy(f => f.Id, StringComparer.Ordinal).ToList();
        var set = new MemoryReadModelSet();
        foreach (var fact in facts)
        {
            if (!EventTypes.TryGetValue(fact.Value.Type, out var type))
                continue;
            var message = JsonSerializer.Deserialize(fact.Value.Json, type, ReadModelConsumer.FactJson)!;
            ReadModelProjector.Apply(message, set, new DateTimeOffset(fact.Value.ReceivedTicks, TimeSpan.Zero));
        }

        var writes = new List<DocumentWrite>();
        await Replace<DealFact>(ReadModelCollections.Deals);
        await Replace<InvoiceFact>(ReadModelCollections.Invoices);
        await Replace<CustomerFact>(ReadModelCollections.Customers);
        await Replace<ExceptionFact>(ReadModelCollections.Exceptions);
        foreach (var batch in writes.Chunk(BatchSize))
            await store.CommitAsync(batch, cancellationToken);
        snapshots.Forget(tenant);

        int Count(string collection) => set.Documents.Keys.Count(k => k.Collection == collection);
        var invoices = set.Documents.Values.OfType<InvoiceFact>().ToList();
        var deals = set.Documents.Values.OfType<DealFact>().ToList();
        return new RebuildView(tenant, facts.Count, Count(ReadModelCollections.Invoices), Count(ReadModelCollections.Deals),
            deals.Sum(d => d.TimeEntries.Count), Count(ReadModelCollections.Exceptions), Count(ReadModelCollections.Customers),
            invoices.Count(i => i.ApprovalRequestedAt is not null), watch.Elapsed);

        async Task Replace<T>(string collection) where T : ReadModelDocument
        {
            var existing = await store.Collection<T>(collection).FindAsync(d => d.TenantId == tenant, cancellationToken: cancellationToken);
            var rebuilt = set.Documents.Where(d => d.Key.Collection == collection).ToDictionary(d => d.Key.Key, d => (T)d.Value);
            foreach (var stale in existing.Where(e => !rebuilt.ContainsKey(e.Id)))
                writes.Add(DocumentWrite.Delete(collection, stale.Id));
            foreach (var (key, value) in rebuilt)
            {
                value.UpdatedTicks = ChangeStamp.Next(time);
                writes.Add(DocumentWrite.Upsert(collection, key, value));
            }
        }
    }
}
