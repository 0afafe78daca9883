using System.Globalization;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.HubSpot.Infrastructure;
using static QuoteToCash.Sandbox.HubSpot.Apis.RequestReading;

namespace QuoteToCash.Sandbox.HubSpot.Apis;

/// <summary>/_sandbox/*: set-up and inspection for run.sh and tests; not part of HubSpot's API.</summary>
public static class ControlApi
{
    public static IEndpointRouteBuilder MapControlApi(this IEndpointRouteBuilder endpoints)
    {
        var control = endpoints.MapGroup("/_sandbox");
        control.MapPost("/portals", CreatePortal);
        control.MapGet("/portals", (HubSpotStore store) => new ApiResult(StatusCodes.Status200OK, store.ListPortals()));
        control.MapPost("/portals/{portalId}/apps", CreateApp);
        control.MapPut("/portals/{portalId}/apps/{appId}", UpdateApp);
        control.MapPost("/portals/{portalId}/tokens", CreateToken);
        control.MapPost("/reset", (HubSpotStore store, DeliveryLog log, HubSpotRateLimiter limiter) =>
        {
            store.Reset();
            log.Clear();
            limiter.Reset();
            return Results.NoContent();
        });
        control.MapGet("/webhooks/deliveries", Deliveries);
        return endpoints;
    }

    private static async Task<IResult> CreatePortal(HttpRequest request, HubSpotStore store)
    {
        var (body, error) = await ReadJsonAsync(request);
        if (error is not null)
            return error;
        var name = body?["name"]?.ToString();
        if (string.IsNullOrWhiteSpace(name))
            return ApiResult.Validation("\"name\" is required.");
        var (created, portal) = store.CreatePortal(name);
        return new ApiResult(created ? StatusCodes.Status201Created : StatusCodes.Status200OK, portal);
    }

    private static async Task<IResult> CreateApp(HttpRequest request, HubSpotStore store, string portalId)
    {
        var (body, error) = await ReadJsonAsync(request);
        if (error is not null)
            return error;
        if (!long.TryParse(portalId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var portal))
            return ApiResult.NotFound($"Portal {portalId} does not exist.");
        var name = body?["name"]?.ToString();
        if (string.IsNullOrWhiteSpace(name))
            return ApiResult.Validation("\"name\" is required.");
        var subscriptions = (body?["subscriptions"] as JsonArray)?.Select(s => s?.ToString() ?? "").ToList() ?? [];
        var targetUrl = body?["targetUrl"]?.ToString();
        return store.CreateApp(portal, name, string.IsNullOrWhiteSpace(targetUrl) ? null : targetUrl, subscriptions);
    }

    private static async Task<IResult> UpdateApp(HttpRequest request, HubSpotStore store, string portalId, string appId)
    {
        var (body, error) = await ReadJsonAsync(request);
        if (error is not null)
            return error;
        if (!long.TryParse(portalId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var portal)
            || !long.TryParse(appId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var app))
            return ApiResult.NotFound($"App {appId} does not exist in portal {portalId}.");
        var map = body as JsonObject;
        var setTarget = map?.ContainsKey("targetUrl") == true;
        var targetUrl = map?["targetUrl"]?.ToString();
        var subscriptions = (map?["subscriptions"] as JsonArray)?.Select(s => s?.ToString() ?? "").ToList();
        return store.UpdateApp(portal, app, setTarget, string.IsNullOrWhiteSpace(targetUrl) ? null : targetUrl, subscriptions);
    }

    private static async Task<IResult> CreateToken(HttpRequest request, HubSpotStore store, string portalId)
    {
        var (body, error) = await ReadJsonAsync(request);
        if (error is not null)
            return error;
        if (!long.TryParse(portalId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var portal))
            return ApiResult.NotFound($"Portal {portalId} does not exist.");
        var name = body?["name"]?.ToString();
        return store.CreateToken(portal, string.IsNullOrWhiteSpace(name) ? "tools" : name);
    }

    private static IResult Deliveries(DeliveryLog log, long? appId, long? portalId) =>
        Results.Json(log.All()
            .Where(d => (appId is null || d.AppId == appId) && (portalId is null || d.PortalId == portalId))
            .Select(d => new
            {
                id = d.Id,
                portalId = d.PortalId.ToString(CultureInfo.InvariantCulture),
                appId = d.AppId.ToString(CultureInfo.InvariantCulture),
                url = d.Url,
                status = d.Status,
                error = d.Error,
                attemptNumber = d.AttemptNumber,
                eventCount = d.EventCount,
                body = d.Body,
                headers = d.Headers,
                sentAt = d.SentAt,
            }));
}
