using System.Text.Json;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.Domain;
using QuoteToCash.Sandbox.QuickBooks.Infrastructure;
using QuoteToCash.Sandbox.QuickBooks.State;
using QuoteToCash.Sandbox.QuickBooks.Webhooks;

namespace QuoteToCash.Sandbox.QuickBooks.Apis;

/// <summary>
/// The test-control API under /_sandbox: companies, apps, consent, fault injection, reset and diagnostics.
/// No authentication and no limits; it is not part of QBO.
/// </summary>
public static class SandboxControlApi
{
    public static IEndpointRouteBuilder MapSandboxControlApi(this IEndpointRouteBuilder app)
    {
        var sandbox = app.MapGroup("/_sandbox");
        sandbox.MapPost("/realms", CreateRealm);
        sandbox.MapGet("/realms", ListRealms);
        sandbox.MapGet("/realms/{realmId}/entities/{entity}", ListEntities);
        sandbox.MapPost("/realms/{realmId}/connections", Connect);
        sandbox.MapPut("/realms/{realmId}/closing-date", SetClosingDate);
        sandbox.MapGet("/realms/{realmId}/emails", ListSentEmails);
        sandbox.MapPost("/apps", CreateApp);
        sandbox.MapGet("/apps/{clientId}", GetApp);
        sandbox.MapPut("/apps/{clientId}", UpdateApp);
        sandbox.MapPost("/faults", SetFault);
        sandbox.MapGet("/faults", (FaultInjector faults) => Results.Json(faults.Rules(), Json.Options));
        sandbox.MapDelete("/faults", ClearFaults);
        sandbox.MapPost("/reset", Reset);
        sandbox.MapGet("/webhooks/deliveries", (WebhookQueue webhooks) => Results.Json(webhooks.Deliveries(), ControlJson));
        app.MapGet("/health/live", () => Results.Text("Healthy"));
        app.MapGet("/health/ready", () => Results.Text("Healthy"));
        return app;
    }

    private static readonly JsonSerializerOptions ControlJson = new(Json.Options) { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static async Task<IResult> CreateRealm(HttpContext http, SandboxAdmin admin)
    {
        var body = await ReadObject(http);
        var name = body?.Text("name")?.Trim();
        if (string.IsNullOrEmpty(name))
            return Problem(400, "A realm needs a name.");
        var (realm, created) = admin.CreateRealm(name);
        var result = new { realmId = realm.Id, name = realm.Name };
        return created ? Results.Json(result, statusCode: 201) : Results.Json(result);
    }

    private static IResult ListRealms(SandboxAdmin admin)
        => Results.Json(admin.Realms().Select(r => new { realmId = r.Id, name = r.Name }));

    /// <summary>Every e-mail the realm sent (invoice sends), oldest first: what the customer's inbox would hold.</summary>
    private static IResult ListSentEmails(string realmId, SandboxState state)
    {
        lock (state.Gate)
        {
            if (!state.Data.Realms.TryGetValue(realmId, out var realm))
                return Problem(404, $"Unknown realm '{realmId}'.");
            return Results.Json(realm.SentEmails.ToList(), ControlJson);
        }
    }

    /// <summary>Every stored entity of a type, inactive ones included, without auth or limits.</summary>
    private static IResult ListEntities(string realmId, string entity, SandboxState state)
    {
        var kind = EntityKind.Find(entity);
        if (kind is null)
            return Problem(404, $"Unknown entity '{entity}'.");
        lock (state.Gate)
        {
            if (!state.Data.Realms.TryGetValue(realmId, out var realm))
                return Problem(404, $"Unknown realm '{realmId}'.");
            var entities = realm.Table(kind).Values
                .OrderBy(e => long.TryParse(e.Text("Id"), out var n) ? n : long.MaxValue)
                .ThenBy(e => e.Text("Id"), StringComparer.Ordinal)
                .Select(e => (JsonNode)e.Clone())
                .ToArray();
            return Results.Json(new JsonArray(entities), Json.Options);
        }
    }

    private static async Task<IResult> Connect(HttpContext http, string realmId, SandboxAdmin admin)
    {
        var body = await ReadObject(http);
        var clientId = body?.Text("clientId");
        if (string.IsNullOrEmpty(clientId))
            return Problem(400, "clientId is required.");
        var grant = admin.Connect(realmId, clientId, body?.Text("redirectUri"));
        if (grant is null)
            return Problem(404, "Unknown realm or clientId.");
        return Results.Json(new
        {
            realmId = grant.RealmId,
            clientId = grant.ClientId,
            authorizationCode = grant.AuthorizationCode,
            accessToken = grant.Tokens.AccessToken,
            refreshToken = grant.Tokens.RefreshToken,
            expiresIn = (long)TokenService.AccessTokenLifetime.TotalSeconds,
            refreshTokenExpiresIn = (long)TokenService.RefreshTokenLifetime.TotalSeconds,
        }, statusCode: 201);
    }

    /// <summary>{"closingDate":"2026-02-28"} closes the books through that day; null reopens them.</summary>
    private static async Task<IResult> SetClosingDate(HttpContext http, string realmId, SandboxAdmin admin)
    {
        var body = await ReadObject(http);
        if (body is null || !body.ContainsKey("closingDate"))
            return Problem(400, "Send {\"closingDate\":\"yyyy-MM-dd\"} to close the books through that day, or null to reopen them.");
        DateOnly? closingDate = null;
        if (body.Text("closingDate") is { } text)
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
                return Problem(400, "closingDate must be a date (yyyy-MM-dd) or null.");
            closingDate = date;
        }
        if (!admin.SetClosingDate(realmId, closingDate))
            return Problem(404, $"Unknown realm '{realmId}'.");
        return Results.Json(new { realmId, closingDate = closingDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
    }

    private static async Task<IResult> CreateApp(HttpContext http, SandboxAdmin admin)
    {
        var body = await ReadObject(http) ?? new JsonObject();
        var name = body.Text("name")?.Trim();
        if (string.IsNullOrEmpty(name))
            return Problem(400, "An app needs a name.");
        var format = WebhookFormats.Normalize(body.Text("webhookFormat"));
        if (format is null)
            return Problem(400, "webhookFormat must be \"legacy\" or \"cloudevents\".");
        var webhookUrl = body.Text("webhookUrl");
        if (!ValidUrl(webhookUrl))
            return Problem(400, "webhookUrl must be an absolute http(s) URL or null.");
        var (app, created) = admin.CreateApp(name, webhookUrl, format);
        return Results.Json(AppView(app), statusCode: created ? 201 : 200);
    }

    private static IResult GetApp(string clientId, SandboxAdmin admin)
        => admin.FindApp(clientId) is { } app ? Results.Json(AppView(app)) : Problem(404, "Unknown clientId.");

    /// <summary>Changes webhookUrl (null removes it) and/or webhookFormat; properties left out stay.</summary>
    private static async Task<IResult> UpdateApp(HttpContext http, string clientId, SandboxAdmin admin)
    {
        var body = await ReadObject(http) ?? new JsonObject();
        var setUrl = body.ContainsKey("webhookUrl");
        var webhookUrl = body.Text("webhookUrl");
        if (setUrl && !ValidUrl(webhookUrl))
            return Problem(400, "webhookUrl must be an absolute http(s) URL or null.");
        string? format = null;
        if (body.ContainsKey("webhookFormat"))
        {
            format = WebhookFormats.Normalize(body.Text("webhookFormat"));
            if (format is null)
                return Problem(400, "webhookFormat must be \"legacy\" or \"cloudevents\".");
        }
        var app = admin.UpdateApp(clientId, setUrl, webhookUrl, format);
        return app is null ? Problem(404, "Unknown clientId.") : Results.Json(AppView(app));
    }

    private static async Task<IResult> SetFault(HttpContext http, FaultInjector faults)
    {
        var body = await ReadObject(http) ?? new JsonObject();
        try
        {
            var rule = new FaultRule(
                RealmId: body.Text("realmId"),
                LatencyMs: (int)(body.Decimal("latencyMs", "latencyMs") ?? 0),
                ErrorRate: (double)(body.Decimal("errorRate", "errorRate") ?? 0),
                ErrorStatus: (int)(body.Decimal("errorStatus", "errorStatus") ?? 503),
                DropConnectionAfterCommitRate: (double)(body.Decimal("dropConnectionAfterCommitRate", "dropConnectionAfterCommitRate") ?? 0),
                Count: body.Decimal("count", "count") is { } count ? (int)count : null);
            if (rule.LatencyMs < 0 || rule.ErrorRate is < 0 or > 1 || rule.DropConnectionAfterCommitRate is < 0 or > 1 || rule.ErrorStatus is < 400 or > 599)
                return Problem(400, "latencyMs >= 0, rates between 0 and 1, errorStatus 400-599.");
            faults.Set(rule);
            return Results.Json(rule, ControlJson);
        }
        catch (QboException)
        {
            return Problem(400, "latencyMs, errorRate, errorStatus, dropConnectionAfterCommitRate and count must be numbers.");
        }
    }

    private static IResult ClearFaults(FaultInjector faults)
    {
        faults.Clear();
        return Results.NoContent();
    }

    private static IResult Reset(SandboxState state)
    {
        state.Reset();
        return Results.NoContent();
    }

    private static object AppView(SandboxApp app) => new
    {
        clientId = app.ClientId,
        clientSecret = app.ClientSecret,
        verifierToken = app.VerifierToken,
        name = app.Name,
        webhookUrl = app.WebhookUrl,
        webhookFormat = app.WebhookFormat,
    };

    private static bool ValidUrl(string? url)
        => string.IsNullOrWhiteSpace(url)
            || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https");

    private static async Task<JsonObject?> ReadObject(HttpContext http)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult Problem(int status, string detail) => Results.Problem(detail: detail, statusCode: status);
}
