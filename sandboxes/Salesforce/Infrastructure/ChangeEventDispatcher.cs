using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace QuoteToCash.Sandbox.Salesforce.Infrastructure;

/// <summary>
/// Pushes change events, one JSON message per POST, in commit order; a failed delivery is retried with backoff and
/// holds back the events after it, as a stream consumer would see them.
/// </summary>
public sealed class ChangeEventDispatcher(
    EventQueues queues,
    SalesforceStore store,
    DeliveryLogs logs,
    IHttpClientFactory httpClients,
    IOptionsMonitor<SalesforceSandboxOptions> options,
    TimeProvider time,
    ILogger<ChangeEventDispatcher> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions BodyJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var message in queues.ChangeEvents.ReadAllAsync(stoppingToken))
                await DeliverAsync(message, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(QueuedChangeEvent message, CancellationToken stoppingToken)
    {
        var body = message.Message.ToJsonString(BodyJson);
        var replayId = message.Message["data"]?["event"]?["replayId"]?.ToString() ?? "";
        for (var attempt = 0; ; attempt++)
        {
            var settings = options.CurrentValue.ChangeEvents;
            var endpoint = store.ChangeEventEndpoint(message.Generation, message.OrgId);
            if (endpoint is null)
                return;
            var headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" };
            int? status = null;
            string? error = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(TimeSpan.FromMilliseconds(settings.TimeoutMs));
                using var response = await httpClients.CreateClient(OutboundMessageDispatcher.HttpClientName).SendAsync(request, timeout.Token);
                status = (int)response.StatusCode;
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                error = $"timed out after {settings.TimeoutMs} ms";
            }
            catch (HttpRequestException exception)
            {
                error = exception.Message;
            }
            var delivered = status is >= 200 and < 300;
            logs.ChangeEvents.Add(new Delivery(logs.ChangeEvents.NextId(), message.OrgId, endpoint, status, error ?? (delivered ? null : $"HTTP {status}"),
                delivered, attempt, body, headers, null, [replayId], time.GetUtcNow()));
            if (delivered)
                return;
            if (attempt >= settings.MaxRetries)
            {
                logger.LogWarning("Change event {ReplayId} dropped after {Attempts} attempts", replayId, attempt + 1);
                return;
            }
            await Task.Delay(OutboundMessageDispatcher.RetryDelay(attempt + 1, settings.RetryBaseDelayMs, settings.RetryMaxDelayMs), time, stoppingToken);
        }
    }
}
