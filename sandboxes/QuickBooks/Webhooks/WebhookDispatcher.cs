using System.Text;
using Microsoft.Extensions.Options;
using QuoteToCash.Sandbox.QuickBooks.Configuration;
using QuoteToCash.Sandbox.QuickBooks.Domain;
using QuoteToCash.Sandbox.QuickBooks.State;

namespace QuoteToCash.Sandbox.QuickBooks.Webhooks;

/// <summary>
/// Delivers queued events in the background, never on the API call's path. Anything but HTTP 200 within the
/// delivery timeout is a failure, retried on QBO's schedule: 10 s, 20 s, 30 s, 5 min, 20 min, 2 h, 4 h, 6 h,
/// then every 6 h (scaled by Webhooks:RetryDelayScale).
/// </summary>
public sealed class WebhookDispatcher(
    WebhookQueue queue,
    SandboxState state,
    IHttpClientFactory httpClients,
    IOptionsMonitor<QuickBooksOptions> options,
    QboClock clock,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "quickbooks-webhooks";

    private static readonly TimeSpan[] RetrySchedule =
    [
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(20), TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(6),
    ];

    /// <summary>Longest idle wait; keeps the loop responsive to a TimeProvider that tests move by hand.</summary>
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(500);

    public static TimeSpan RetryDelay(int failedAttempts, double scale)
    {
        var delay = RetrySchedule[Math.Min(failedAttempts, RetrySchedule.Length) - 1];
        return TimeSpan.FromTicks((long)(delay.Ticks * Math.Max(0, scale)));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sending = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.UtcNow;
            var maxEvents = Math.Max(1, options.CurrentValue.Webhooks.MaxEventsPerDelivery);
            var generation = queue.Generation;
            var (due, wait) = queue.WithQueues(queues =>
            {
                var ready = new List<(string ClientId, WebhookQueue.PendingDelivery Delivery)>();
                var nextWait = IdleWait;
                foreach (var (clientId, appQueue) in queues)
                {
                    if (appQueue.Current is null && appQueue.Pending.Count > 0)
                    {
                        var events = appQueue.Pending.Take(maxEvents).ToList();
                        appQueue.Pending.RemoveRange(0, events.Count);
                        appQueue.Current = new WebhookQueue.PendingDelivery(events, now);
                    }
                    if (appQueue.Current is not { Sending: false } current)
                        continue;
                    if (current.DueAt <= now)
                    {
                        current.Sending = true;
                        ready.Add((clientId, current));
                    }
                    else if (current.DueAt - now < nextWait)
                    {
                        nextWait = current.DueAt - now;
                    }
                }
                return (ready, nextWait);
            });

            foreach (var (clientId, delivery) in due)
                sending.Add(SendAsync(clientId, delivery, generation, stoppingToken));
            sending.RemoveAll(t => t.IsCompleted);

            try
            {
                await queue.Signal.WaitAsync(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await Task.WhenAll(sending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task SendAsync(string clientId, WebhookQueue.PendingDelivery delivery, long generation, CancellationToken stoppingToken)
    {
        SandboxApp? app;
        lock (state.Gate)
            app = state.Data.Apps.GetValueOrDefault(clientId);
        if (app is null || string.IsNullOrWhiteSpace(app.WebhookUrl))
        {
            Finish(clientId, delivery);
            return;
        }

        delivery.Format ??= app.WebhookFormat;
        delivery.Body ??= WebhookPayloads.Build(delivery.Format, clientId, delivery.Events, clock);
        var signature = WebhookPayloads.Sign(delivery.Body, app.VerifierToken);
        var attempt = delivery.Attempts + 1;
        int? status = null;
        string? error = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(options.CurrentValue.Webhooks.DeliveryTimeout);
            using var request = new HttpRequestMessage(HttpMethod.Post, app.WebhookUrl)
            {
                Content = new StringContent(delivery.Body, Encoding.UTF8, WebhookPayloads.ContentType(delivery.Format)),
            };
            request.Headers.TryAddWithoutValidation("intuit-signature", signature);
            request.Headers.TryAddWithoutValidation("intuit-t-id", Guid.NewGuid().ToString());
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            status = (int)response.StatusCode;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            error = $"No answer within {options.CurrentValue.Webhooks.DeliveryTimeout.TotalSeconds} s";
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or UriFormatException)
        {
            error = exception.Message;
        }

        queue.Record(generation, sequence => new DeliveryAttempt(
            sequence, clientId, app.WebhookUrl, delivery.Format, attempt, status, error, delivery.Body, signature, delivery.Events.Count, clock.UtcNow));

        if (status == 200)
        {
            Finish(clientId, delivery);
            return;
        }
        var webhookOptions = options.CurrentValue.Webhooks;
        logger.LogInformation("Webhook delivery to {Url} failed (attempt {Attempt}, {Outcome})", app.WebhookUrl, attempt, status?.ToString() ?? error);
        queue.WithQueues(_ =>
        {
            delivery.Attempts = attempt;
            delivery.DueAt = clock.UtcNow + RetryDelay(attempt, webhookOptions.RetryDelayScale);
            delivery.Sending = false;
            return 0;
        });
        if (webhookOptions.MaxAttempts > 0 && attempt >= webhookOptions.MaxAttempts)
        {
            logger.LogWarning("Webhook delivery to {Url} abandoned after {Attempts} attempts", app.WebhookUrl, attempt);
            Finish(clientId, delivery);
        }
        queue.Signal.Release();
    }

    private void Finish(string clientId, WebhookQueue.PendingDelivery delivery)
    {
        queue.WithQueues(queues =>
        {
            if (queues.TryGetValue(clientId, out var appQueue) && ReferenceEquals(appQueue.Current, delivery))
                appQueue.Current = null;
            return 0;
        });
        queue.Signal.Release();
    }
}
