using System.Text;
using Microsoft.Extensions.Options;
using QuoteToCash.Sandbox.Salesforce.Domain;

namespace QuoteToCash.Sandbox.Salesforce.Infrastructure;

/// <summary>
/// Sends Outbound Messages as Salesforce does: notifications gathered per action into SOAP messages of at most 100,
/// retried with exponentially growing intervals (capped, by default at 2 hours) until the listener answers with
/// Ack true, and dropped once older than 24 hours. Each attempt carries the record's latest field values.
/// </summary>
public sealed class OutboundMessageDispatcher(
    EventQueues queues,
    SalesforceStore store,
    DeliveryLogs logs,
    IHttpClientFactory httpClients,
    IOptionsMonitor<SalesforceSandboxOptions> options,
    TimeProvider time,
    ILogger<OutboundMessageDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "salesforce-outbound";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = new List<QueuedNotification>();
        try
        {
            while (await queues.Notifications.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, options.CurrentValue.OutboundMessages.FlushIntervalMs)), time, stoppingToken);
                while (queues.Notifications.TryRead(out var item))
                    pending.Add(item);
                var maxBatch = Math.Clamp(options.CurrentValue.OutboundMessages.MaxBatchSize, 1, 100);
                foreach (var group in pending.GroupBy(n => (n.Generation, n.OrgId, n.RuleId)))
                {
                    foreach (var chunk in group.Chunk(maxBatch))
                        _ = DeliverAsync(chunk, stoppingToken);
                }
                pending.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(QueuedNotification[] notifications, CancellationToken stoppingToken)
    {
        var first = notifications[0];
        var oldest = notifications.Min(n => n.CreatedAt);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var settings = options.CurrentValue.OutboundMessages;
                var batch = store.PrepareOutbound(first.Generation, first.OrgId, first.RuleId, notifications.Select(n => (n.NotificationId, n.RecordId)).ToList());
                if (batch is null)
                    return;
                if (await SendAsync(batch, attempt, stoppingToken))
                    return;
                var delay = RetryDelay(attempt + 1, settings.RetryBaseDelayMs, settings.RetryMaxDelayMs);
                if (time.GetUtcNow() + delay - oldest > TimeSpan.FromMilliseconds(settings.MaxAgeMs))
                {
                    logger.LogWarning("Outbound message {ActionId} dropped after {Attempts} attempts: older than {MaxAge} ms", first.RuleId, attempt + 1, settings.MaxAgeMs);
                    return;
                }
                await Task.Delay(delay, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Outbound message {ActionId} failed unexpectedly", first.RuleId);
        }
    }

    private async Task<bool> SendAsync(OutboundBatch batch, int attempt, CancellationToken stoppingToken)
    {
        var settings = options.CurrentValue.OutboundMessages;
        var body = OutboundMessageEnvelope.Build(batch);
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = "text/xml; charset=utf-8",
            ["SOAPAction"] = "\"\"",
            ["User-Agent"] = "Salesforce Outbound Messaging (QuoteToCash sandbox)",
        };
        int? status = null;
        string? error = null;
        string? response = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, batch.EndpointUrl) { Content = new StringContent(body, Encoding.UTF8) };
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(headers["Content-Type"]);
            request.Headers.TryAddWithoutValidation("SOAPAction", headers["SOAPAction"]);
            request.Headers.TryAddWithoutValidation("User-Agent", headers["User-Agent"]);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(TimeSpan.FromMilliseconds(settings.TimeoutMs));
            using var answer = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            status = (int)answer.StatusCode;
            response = await answer.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            error = $"timed out after {settings.TimeoutMs} ms";
        }
        catch (HttpRequestException exception)
        {
            error = exception.Message;
        }
        var acknowledged = status is >= 200 and < 300 && OutboundMessageEnvelope.IsAcknowledged(response);
        if (status is not null && !acknowledged && error is null)
            error = status is >= 200 and < 300 ? "no <Ack>true</Ack> in the response" : $"HTTP {status}";
        logs.Outbound.Add(new Delivery(logs.Outbound.NextId(), batch.OrganizationId, batch.EndpointUrl, status, error, acknowledged, attempt, body, headers,
            response, batch.Notifications.Select(n => n.NotificationId).ToList(), time.GetUtcNow()));
        logger.LogInformation("Outbound message {ActionId} ({Count} notifications, attempt {Attempt}) to {Url}: {Result}",
            batch.ActionId, batch.Notifications.Count, attempt, batch.EndpointUrl, acknowledged ? "Ack" : error);
        return acknowledged;
    }

    internal static TimeSpan RetryDelay(int retry, int baseMs, int maxMs)
    {
        var exponential = baseMs * Math.Pow(2, retry - 1);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(Math.Max(1, Math.Min(exponential, maxMs) * jitter));
    }
}
