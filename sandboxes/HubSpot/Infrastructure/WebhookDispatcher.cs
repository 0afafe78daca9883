using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using QuoteToCash.Sandbox.HubSpot.Domain;

namespace QuoteToCash.Sandbox.HubSpot.Infrastructure;

/// <summary>
/// Sends webhook events the way HubSpot does: gathered per app into JSON arrays of at most 100, POSTed to the app's
/// target URL with v1 and v3 signatures, retried with exponential backoff on failure (not on 400/401/403/404/405),
/// each retry carrying a higher attemptNumber; order is not guaranteed.
/// </summary>
public sealed class WebhookDispatcher(
    WebhookQueue queue,
    HubSpotStore store,
    DeliveryLog log,
    IHttpClientFactory httpClients,
    IOptionsMonitor<HubSpotSandboxOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "hubspot-webhooks";

    private static readonly JsonSerializerOptions BodyJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly HashSet<int> NotRetried = [400, 401, 403, 404, 405];

    private SemaphoreSlim? _concurrency;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _concurrency = new SemaphoreSlim(Math.Max(1, options.CurrentValue.Webhooks.MaxConcurrentRequests));
        var pending = new List<QueuedEvent>();
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                // Let events gather for one flush interval, as HubSpot batches events that happen close together.
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, options.CurrentValue.Webhooks.FlushIntervalMs)), time, stoppingToken);
                while (queue.Reader.TryRead(out var item))
                    pending.Add(item);
                var maxBatch = Math.Clamp(options.CurrentValue.Webhooks.MaxBatchSize, 1, 100);
                foreach (var group in pending.Where(e => e.Generation == store.Generation).GroupBy(e => (e.Generation, e.PortalId, e.AppId)))
                {
                    foreach (var chunk in group.Select(e => e.Event).Chunk(maxBatch))
                        _ = DeliverAsync(group.Key.Generation, group.Key.PortalId, group.Key.AppId, chunk, stoppingToken);
                }
                pending.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(long generation, long portalId, long appId, JsonObject[] events, CancellationToken stoppingToken)
    {
        try
        {
            var settings = options.CurrentValue.Webhooks;
            for (var attempt = 0; ; attempt++)
            {
                if (store.Generation != generation || store.WebhookSettings(portalId, appId) is not { TargetUrl: { } targetUrl } app)
                    return;
                var (status, retryAfter) = await SendAsync(portalId, appId, targetUrl, app.ClientSecret, events, attempt, stoppingToken);
                if (status is >= 200 and < 300 || (status is { } code && NotRetried.Contains(code)) || attempt >= settings.MaxRetries)
                    return;
                var delay = RetryDelay(attempt + 1, settings);
                if (retryAfter is { } wait && wait > delay)
                    delay = TimeSpan.FromMilliseconds(Math.Min(wait.TotalMilliseconds, settings.RetryMaxDelayMs));
                await Task.Delay(delay, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Webhook delivery to app {AppId} failed unexpectedly", appId);
        }
    }

    private async Task<(int? Status, TimeSpan? RetryAfter)> SendAsync(
        long portalId, long appId, string targetUrl, string clientSecret, JsonObject[] events, int attempt, CancellationToken stoppingToken)
    {
        var settings = options.CurrentValue.Webhooks;
        var ordered = settings.ShuffleOrder ? events.OrderBy(_ => Random.Shared.Next()).ToArray() : events;
        var array = new JsonArray();
        foreach (var item in ordered)
        {
            var copy = item.DeepClone().AsObject();
            copy["attemptNumber"] = attempt;
            array.Add(copy);
        }
        var body = array.ToJsonString(BodyJson);
        var timestamp = time.GetUtcNow().ToUnixTimeMilliseconds();
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = "application/json",
            ["X-HubSpot-Signature"] = WebhookSignature.V1(clientSecret, body),
            ["X-HubSpot-Signature-Version"] = "v1",
            ["X-HubSpot-Signature-v3"] = WebhookSignature.V3(clientSecret, "POST", targetUrl, body, timestamp),
            ["X-HubSpot-Request-Timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["X-HubSpot-Timeout-Millis"] = settings.TimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["User-Agent"] = "HubSpot Connect 2.0 (http://dev.hubspot.com/) - QuoteToCash sandbox",
        };

        int? status = null;
        string? error = null;
        TimeSpan? retryAfter = null;
        await _concurrency!.WaitAsync(stoppingToken);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, targetUrl)
            {
                Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)),
            };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            foreach (var (name, value) in headers.Where(h => h.Key != "Content-Type"))
                request.Headers.TryAddWithoutValidation(name, value);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(TimeSpan.FromMilliseconds(settings.TimeoutMs));
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                retryAfter = response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date is { } date ? date - time.GetUtcNow() : null);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            error = $"timed out after {settings.TimeoutMs} ms";
        }
        catch (HttpRequestException exception)
        {
            error = exception.Message;
        }
        finally
        {
            _concurrency.Release();
        }
        log.Add(new WebhookDelivery(log.NextId(), portalId, appId, targetUrl, status, error, attempt, events.Length, body, headers, time.GetUtcNow()));
        logger.LogInformation("Webhook POST {Url} (app {AppId}, {Count} events, attempt {Attempt}) -> {Result}",
            targetUrl, appId, events.Length, attempt, status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? error);
        return (status, retryAfter);
    }

    /// <summary>Exponential: base, 2×base, 4×base… capped, with ±20 % jitter.</summary>
    internal static TimeSpan RetryDelay(int retry, HubSpotSandboxOptions.WebhookOptions settings)
    {
        var exponential = settings.RetryBaseDelayMs * Math.Pow(2, retry - 1);
        var capped = Math.Min(exponential, settings.RetryMaxDelayMs);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(Math.Max(1, capped * jitter));
    }
}
