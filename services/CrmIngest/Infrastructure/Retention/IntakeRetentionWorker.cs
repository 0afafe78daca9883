using System.Linq.Expressions;
using Microsoft.Extensions.Options;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.CrmIngest.Infrastructure.Retention;

/// <summary>
/// Removes what crm-ingest no longer needs, on a schedule (<see cref="IntakeRetentionOptions"/>): delivery bodies, then
/// delivery records with their outcomes, event identities and the generic API's keys, oldest first, a batch per commit,
/// each through its index. Ensures those indexes at start-up.
/// </summary>
public sealed class IntakeRetentionWorker(IDocumentStore store, IOptions<IntakeRetentionOptions> options, TimeProvider time,
    ILogger<IntakeRetentionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await CrmDeliveries.EnsureIndexesAsync(store, stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError(exception, "Could not ensure the intake indexes; listing and retention read without them");
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
                logger.LogError(exception, "Retention pass failed; it runs again in {Interval}", options.Value.Interval);
            }
            try
            {
                await Task.Delay(options.Value.Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>One pass: everything past its retention is removed. Returns how many documents went.</summary>
    public async Task<long> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var settings = options.Value;
        var bodies = now - settings.DeliveryBodies;
        var deliveries = (now - settings.Deliveries).Ticks;
        var deliveriesAt = now - settings.Deliveries;
        var seen = now - settings.SeenEvents;
        var generic = now - settings.GenericEvents;
        long removed = 0;
        removed += await RemoveAsync<CrmDeliveryBody, DateTime>(CrmDeliveryBody.CollectionName, b => b.Received < bodies, b => b.Received, cancellationToken);
        removed += await RemoveAsync<CrmDelivery, long>(CrmDelivery.CollectionName, d => d.ReceivedTicks < deliveries, d => d.ReceivedTicks, cancellationToken);
        removed += await RemoveAsync<CrmDeliveryOutcome, DateTime>(CrmDeliveryOutcome.CollectionName, o => o.Processed < deliveriesAt, o => o.Processed, cancellationToken);
        removed += await RemoveAsync<SeenCrmEvent, DateTime>(SeenCrmEvent.CollectionName, s => s.Received < seen, s => s.Received, cancellationToken);
        removed += await RemoveAsync<GenericEventSeen, DateTime>(GenericEventSeen.CollectionName, g => g.Received < generic, g => g.Received, cancellationToken);
        if (removed > 0)
            logger.LogInformation("Retention removed {Count} intake documents", removed);
        return removed;
    }

    private Task<long> RemoveAsync<T, TKey>(string collection, Expression<Func<T, bool>> expired, Expression<Func<T, TKey>> age,
        CancellationToken cancellationToken) where T : class =>
        store.RemoveExpiredAsync(collection, expired, age, options.Value.BatchSize, cancellationToken);
}
