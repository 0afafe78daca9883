using System.Diagnostics.Metrics;
using System.Linq.Expressions;

namespace QuoteToCash.ServiceDefaults.Storage;

/// <summary>
/// Removes documents past their retention, oldest first, one batch per commit through the index on their age, so a
/// large backlog never holds the store for long. Each delete is version-checked: a document written again since it was
/// read stays.
/// </summary>
public static class DocumentRetention
{
    private static readonly Meter Meter = new("QuoteToCash.Storage");
    private static readonly Counter<long> Removed = Meter.CreateCounter<long>("q2c.retention.removed", description: "Documents removed by retention");

    /// <summary>Removes every document of <paramref name="collection"/> matching <paramref name="expired"/>; returns how many went.</summary>
    public static async Task<long> RemoveExpiredAsync<T, TKey>(this IDocumentStore store, string collection, Expression<Func<T, bool>> expired,
        Expression<Func<T, TKey>> age, int batchSize, CancellationToken cancellationToken) where T : class
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        long removed = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await store.Collection<T>(collection).FindPageAsync(expired, age, descending: false, batchSize, cancellationToken);
            if (batch.Count == 0)
                break;
            try
            {
                await store.CommitAsync(batch.Select(d => DocumentWrite.Delete(collection, d.Id, d.Version)).ToList(), cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                continue; // one of them was written meanwhile; read the batch again
            }
            removed += batch.Count;
            Removed.Add(batch.Count, new KeyValuePair<string, object?>("collection", collection));
            if (batch.Count < batchSize)
                break;
        }
        return removed;
    }
}
