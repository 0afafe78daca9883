using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.ServiceDefaults.Messaging;

/// <summary>
/// Background delivery of outbox records whose writer did not deliver them (it crashed, or the broker
/// was down), plus expiry of old inbox entries.
/// </summary>
public sealed class OutboxDispatcher(
    OutboxDelivery delivery,
    IDocumentStore store,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var handOff = Task.Run(() => DeliverHandedOffAsync(stoppingToken), stoppingToken);
        await SweepAsync(stoppingToken);
        await handOff.ContinueWith(_ => { }, TaskScheduler.Default);
        // Delivered records still queued for removal leave the store before the host stops (else the dispatcher of the
        // next start would send them again, harmlessly but needlessly).
        await delivery.RemovalsIdle.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private const int MaxRecordsPerDelivery = 256;

    private async Task DeliverHandedOffAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Whatever has been handed off meanwhile goes together (in commit order), so its records leave the store in
            // one removal instead of one per commit.
            while (await delivery.HandOff.WaitToReadAsync(stoppingToken))
            {
                var records = new List<OutboxRecord>();
                while (records.Count < MaxRecordsPerDelivery && delivery.HandOff.TryRead(out var batch))
                    records.AddRange(batch);
                await delivery.DeliverInlineAsync(records, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        var nextCleanup = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int delivered;
                do
                {
                    delivered = await delivery.DeliverDueAsync(stoppingToken);
                    if (delivered > 0)
                        logger.LogInformation("Outbox dispatcher delivered {Count} pending message(s)", delivered);
                } while (delivered >= options.Value.Outbox.BatchSize);

                var now = time.GetUtcNow().UtcDateTime;
                if (now >= nextCleanup)
                {
                    await ExpireInboxAsync(now, stoppingToken);
                    nextCleanup = now.AddMinutes(10);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "Outbox dispatcher pass failed");
            }
            await Task.Delay(options.Value.Outbox.PollInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task ExpireInboxAsync(DateTime now, CancellationToken cancellationToken)
    {
        var cutoff = now - options.Value.Outbox.InboxRetention;
        var expired = await store.Collection<InboxRecord>(InboxRecord.CollectionName).FindAsync(i => i.Consumed < cutoff, 500, cancellationToken);
        if (expired.Count > 0)
            await store.CommitAsync(expired.Select(e => DocumentWrite.Delete(InboxRecord.CollectionName, e.Id, e.Version)).ToList(), cancellationToken);
    }
}
