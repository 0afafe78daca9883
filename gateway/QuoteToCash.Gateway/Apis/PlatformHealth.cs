using QuoteToCash.ServiceDefaults.Security;
using System.Diagnostics;
using System.Text.Json;
using Yarp.ReverseProxy.Configuration;

namespace QuoteToCash.Gateway.Apis;

/// <summary>
/// The platform's readiness: 200 only when the gateway and every service behind it answer their own
/// /health/ready with 200. The body names each service and its status.
/// </summary>
public static class PlatformHealth
{
    public const string HttpClientName = "platform-health";

    public static IEndpointRouteBuilder MapPlatformHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/ready", CheckAsync).ExcludeFromDescription();
        return app;
    }

    public sealed record ServiceHealth(string Name, string Status, double DurationMs, string? Error, JsonElement? Report);

    public sealed record PlatformReport(string Status, string Gateway, IReadOnlyList<ServiceHealth> Services);

    private static async Task<IResult> CheckAsync(HttpContext context, IProxyConfigProvider proxyConfig, IHttpClientFactory clients, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(HttpClientName);
        // An operator's token goes along, so the services show an operator why a check fails; others see only statuses.
        var authorization = context.User.IsOperator() ? context.Request.Headers.Authorization.ToString() : null;
        var checks = proxyConfig.GetConfig().Clusters
            .Where(c => c.Destinations is { Count: > 0 })
            .Select(c => CheckServiceAsync(client, c.ClusterId, c.Destinations!.Values.First().Address, authorization, cancellationToken))
            .ToList();
        var services = await Task.WhenAll(checks);
        var healthy = services.All(s => s.Status == "Healthy");
        var report = new PlatformReport(healthy ? "Healthy" : "Unhealthy", "Healthy",
            services.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => authorization is null ? ForAnyone(s) : s).ToList());
        return Results.Json(report, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>What an anonymous caller sees of a service: its name, status and timing, no error text or report.</summary>
    public static ServiceHealth ForAnyone(ServiceHealth health) => health with { Error = null, Report = null };

    private static async Task<ServiceHealth> CheckServiceAsync(HttpClient client, string name, string address, string? authorization,
        CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(address), "/health/ready"));
            if (!string.IsNullOrEmpty(authorization))
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await client.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonElement? report = null;
            try
            {
                report = JsonSerializer.Deserialize<JsonElement>(body);
            }
            catch (JsonException)
            {
            }
            return new ServiceHealth(name, response.IsSuccessStatusCode ? "Healthy" : "Unhealthy", watch.Elapsed.TotalMilliseconds,
                response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}", report);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return new ServiceHealth(name, "Unreachable", watch.Elapsed.TotalMilliseconds, exception.Message, null);
        }
    }
}
