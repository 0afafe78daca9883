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

/// <summary>
/// A service's retention on a schedule: ensures the indexes its sweep reads through once at start-up, then sweeps every
/// <see cref="Interval"/>. A failed pass is logged and the next one runs as usual.
/// </summary>
public abstract class RetentionService(TimeProvider time, Microsoft.Extensions.Logging.ILogger logger) : Microsoft.Extensions.Hosting.BackgroundService
{
    /// <summary>The service's clock: what the sweep measures ages against.</summary>
    protected TimeProvider Time { get; } = time;

    /// <summary>How long between passes.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>Creates the indexes the sweep (and any listing over the same collections) reads through.</summary>
    protected abstract Task EnsureIndexesAsync(CancellationToken cancellationToken);

    /// <summary>One pass: everything past its retention is removed. Returns how many documents went.</summary>
    public abstract Task<long> SweepAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await EnsureIndexesAsync(stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Microsoft.Extensions.Logging.LoggerExtensions.LogError(logger, exception, "Could not ensure the retention indexes; reads go without them");
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                Microsoft.Extensions.Logging.LoggerExtensions.LogError(logger, exception, "Retention pass failed; it runs again in {Interval}", Interval);
            }
            try
            {
                await Task.Delay(Interval, Time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
