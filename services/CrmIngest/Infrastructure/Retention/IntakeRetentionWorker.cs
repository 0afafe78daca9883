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
    ILogger<IntakeRetentionWorker> logger) : RetentionService(time, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override Task EnsureIndexesAsync(CancellationToken cancellationToken) => CrmDeliveries.EnsureIndexesAsync(store, cancellationToken);

    /// <inheritdoc />
    public override async Task<long> SweepAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        var settings = options.Value;
        var bodies = now - settings.DeliveryBodies;
        var deliveriesAt = now - settings.Deliveries;
        var deliveries = deliveriesAt.Ticks;
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
