using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using QuoteToCash.AccountingSync.Apis;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.Retention;

/// <summary>
/// How long accounting-sync keeps QuickBooks webhook deliveries (<c>Retention</c>): the raw bodies, and the event IDs
/// already taken in. Event IDs must outlive Intuit's retries; a retry later still is harmless anyway, because inbound
/// processing compares QuickBooks' state with what it knows rather than counting notifications.
/// </summary>
public sealed class WebhookRetentionOptions : IValidatableObject
{
    public const string Section = "Retention";

    public TimeSpan WebhookDeliveries { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan WebhookEvents { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    public int BatchSize { get; set; } = 500;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WebhookEvents < TimeSpan.FromDays(4))
            yield return new ValidationResult("Retention:WebhookEvents must be at least 4 days: Intuit retries a delivery for days.", [nameof(WebhookEvents)]);
        if (WebhookDeliveries <= TimeSpan.Zero || Interval <= TimeSpan.Zero || BatchSize < 1)
            yield return new ValidationResult("Retention:WebhookDeliveries, Interval and BatchSize must be positive.", [nameof(WebhookDeliveries)]);
    }
}

/// <summary>Removes QuickBooks webhook deliveries and event IDs past their retention, hourly, through their indexes.</summary>
public sealed class WebhookRetentionWorker(IDocumentStore store, IOptions<WebhookRetentionOptions> options, TimeProvider time,
    ILogger<WebhookRetentionWorker> logger) : RetentionService(time, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        await store.Collection<QuickBooksWebhookApi.WebhookDelivery>(QuickBooksWebhookApi.WebhookDelivery.CollectionName)
            .EnsureIndexAsync("qbo-webhook-received", d => d.Received, cancellationToken: cancellationToken);
        await store.Collection<QuickBooksWebhookApi.SeenEvent>(QuickBooksWebhookApi.SeenEvent.CollectionName)
            .EnsureIndexAsync("qbo-webhook-event-received", e => e.Received, cancellationToken: cancellationToken);
    }

    /// <inheritdoc />
    public override async Task<long> SweepAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow().UtcDateTime;
        var deliveries = now - options.Value.WebhookDeliveries;
        var events = now - options.Value.WebhookEvents;
        var removed = await store.RemoveExpiredAsync<QuickBooksWebhookApi.WebhookDelivery, DateTime>(QuickBooksWebhookApi.WebhookDelivery.CollectionName,
            d => d.Received < deliveries, d => d.Received, options.Value.BatchSize, cancellationToken);
        removed += await store.RemoveExpiredAsync<QuickBooksWebhookApi.SeenEvent, DateTime>(QuickBooksWebhookApi.SeenEvent.CollectionName,
            e => e.Received < events, e => e.Received, options.Value.BatchSize, cancellationToken);
        if (removed > 0)
            logger.LogInformation("Retention removed {Count} QuickBooks webhook documents", removed);
        return removed;
    }
}
