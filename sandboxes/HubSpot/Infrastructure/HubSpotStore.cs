using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.HubSpot.Domain;

namespace QuoteToCash.Sandbox.HubSpot.Infrastructure;

/// <summary>The app (and so the portal) whose private-app token made a request.</summary>
public sealed record Caller(long PortalId, long AppId, string AppName);

/// <summary>
/// The sandbox's whole state behind one lock. Every public method takes the lock, works on the state, renders its
/// answer as JSON while still holding it, and hands the webhook events it caused to the queue.
/// </summary>
public sealed partial class HubSpotStore : QuoteToCash.Sandbox.Shared.IPersistentState
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly WebhookQueue _queue;
    private SandboxState _state = new();
    private long _version;
    private long _generation;

    public HubSpotStore(TimeProvider time, WebhookQueue queue)
    {
        _time = time;
        _queue = queue;
    }

    /// <summary>Goes up on every change, so that persistence knows when to write.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Goes up on every reset, so that queued and retrying webhooks of the old state are dropped.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    private DateTimeOffset Now => _time.GetUtcNow();

    public string Serialize()
    {
        lock (_gate)
            return JsonSerializer.Serialize(_state, StateJson.Options);
    }

    public void Load(string json)
    {
        var loaded = JsonSerializer.Deserialize<SandboxState>(json, StateJson.Options) ?? new SandboxState();
        lock (_gate)
        {
            _state = loaded;
            Interlocked.Increment(ref _version);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _state = new SandboxState();
            Interlocked.Increment(ref _generation);
            Interlocked.Increment(ref _version);
        }
    }

    public Caller? Authenticate(string? token)
    {
        if (string.IsNullOrEmpty(token))
            return null;
        lock (_gate)
        {
            foreach (var portal in _state.Portals)
            {
                var app = portal.Apps.FirstOrDefault(a => a.AccessToken == token);
                if (app is not null)
                    return new Caller(portal.PortalId, app.AppId, app.Name);
            }
        }
        return null;
    }

    /// <summary>Current webhook settings of an app, read at send time as HubSpot does.</summary>
    public (string? TargetUrl, string ClientSecret)? WebhookSettings(long portalId, long appId)
    {
        lock (_gate)
        {
            var app = FindPortal(portalId)?.Apps.FirstOrDefault(a => a.AppId == appId);
            return app is null ? null : (app.TargetUrl, app.ClientSecret);
        }
    }

    // ---- control API ----

    public (bool Created, JsonObject Body) CreatePortal(string name)
    {
        lock (_gate)
        {
            var existing = _state.Portals.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
            if (existing is not null)
                return (false, RenderPortal(existing));

            var now = Now;
            var portal = new Portal { PortalId = _state.NextPortalId++, Name = name, CreatedAt = now };
            foreach (var type in ObjectType.All)
            {
                portal.Objects[type.Name] = [];
                portal.NextObjectIds[type.Name] = type.FirstId;
                portal.Properties[type.Name] = StandardProperties.For(type, now);
                portal.PropertyGroups[type.Name] = StandardProperties.Groups(type);
            }
            var customPipelineId = (_state.NextPipelineNumber++).ToString(CultureInfo.InvariantCulture);
            var firstStage = _state.NextStageNumber;
            _state.NextStageNumber += 10;
            portal.DealPipelines = [Pipeline.Default(now), Pipeline.Custom(customPipelineId, firstStage, now)];
            _state.Portals.Add(portal);
            SeedProducts(portal, now);
            Touch();
            return (true, RenderPortal(portal));
        }
    }

    public JsonArray ListPortals()
    {
        lock (_gate)
            return new JsonArray(_state.Portals.Select(p => (JsonNode)RenderPortal(p)).ToArray());
    }

    /// <summary>Creates an app, or returns the existing one of that name unchanged.</summary>
    public ApiResult CreateApp(long portalId, string name, string? targetUrl, IReadOnlyList<string> subscriptions)
    {
        lock (_gate)
        {
            var portal = FindPortal(portalId);
            if (portal is null)
                return ApiResult.NotFound($"Portal {portalId} does not exist.");
            var existing = portal.Apps.FirstOrDefault(a => !a.TokenOnly && a.Name == name);
            if (existing is not null)
                return new ApiResult(StatusCodes.Status200OK, RenderApp(portal, existing));
            var parsed = ParseSubscriptions(subscriptions, out var error);
            if (error is not null)
                return ApiResult.Validation(error);
            if (targetUrl is not null && !IsHttpUrl(targetUrl))
                return ApiResult.Validation($"targetUrl must be an absolute http(s) URL: {targetUrl}");
            var app = NewApp(portal, name, tokenOnly: false);
            app.TargetUrl = targetUrl;
            app.Subscriptions = parsed;
            Touch();
            return new ApiResult(StatusCodes.Status201Created, RenderApp(portal, app));
        }
    }

    public ApiResult UpdateApp(long portalId, long appId, bool setTargetUrl, string? targetUrl, IReadOnlyList<string>? subscriptions)
    {
        lock (_gate)
        {
            var portal = FindPortal(portalId);
            var app = portal?.Apps.FirstOrDefault(a => a.AppId == appId && !a.TokenOnly);
            if (portal is null || app is null)
                return ApiResult.NotFound($"App {appId} does not exist in portal {portalId}.");
            if (setTargetUrl && targetUrl is not null && !IsHttpUrl(targetUrl))
                return ApiResult.Validation($"targetUrl must be an absolute http(s) URL: {targetUrl}");
            if (subscriptions is not null)
            {
                var parsed = ParseSubscriptions(subscriptions, out var error);
                if (error is not null)
                    return ApiResult.Validation(error);
                // Keep subscription ids stable for subscriptions that stay.
                app.Subscriptions = parsed.Select(s => app.Subscriptions.FirstOrDefault(o => o.Spec == s.Spec) ?? s).ToList();
            }
            if (setTargetUrl)
                app.TargetUrl = targetUrl;
            Touch();
            return new ApiResult(StatusCodes.Status200OK, RenderApp(portal, app));
        }
    }

    /// <summary>A private-app token for scripts; the same name returns the same token.</summary>
    public ApiResult CreateToken(long portalId, string name)
    {
        lock (_gate)
        {
            var portal = FindPortal(portalId);
            if (portal is null)
                return ApiResult.NotFound($"Portal {portalId} does not exist.");
            var app = portal.Apps.FirstOrDefault(a => a.TokenOnly && a.Name == name);
            var created = app is null;
            app ??= NewApp(portal, name, tokenOnly: true);
            Touch();
            return new ApiResult(created ? StatusCodes.Status201Created : StatusCodes.Status200OK, new JsonObject
            {
                ["accessToken"] = app.AccessToken,
                ["appId"] = Id(app.AppId),
                ["name"] = app.Name,
                ["portalId"] = Id(portal.PortalId),
            });
        }
    }

    private App NewApp(Portal portal, string name, bool tokenOnly)
    {
        var app = new App
        {
            AppId = _state.NextAppId++,
            Name = name,
            ClientSecret = Guid.NewGuid().ToString(),
            AccessToken = "pat-na1-" + Guid.NewGuid(),
            TokenOnly = tokenOnly,
            CreatedAt = Now,
        };
        portal.Apps.Add(app);
        return app;
    }

    private List<Subscription> ParseSubscriptions(IReadOnlyList<string> specs, out string? error)
    {
        error = null;
        var result = new List<Subscription>();
        string[] actions = ["creation", "deletion", "propertyChange", "associationChange"];
        foreach (var spec in specs.Distinct(StringComparer.Ordinal))
        {
            var colon = spec.IndexOf(':', StringComparison.Ordinal);
            var eventType = colon < 0 ? spec : spec[..colon];
            var property = colon < 0 ? null : spec[(colon + 1)..];
            var dot = eventType.IndexOf('.', StringComparison.Ordinal);
            var objectName = dot < 0 ? "" : eventType[..dot];
            var action = dot < 0 ? "" : eventType[(dot + 1)..];
            if (!ObjectType.All.Any(t => t.Singular == objectName) || !actions.Contains(action))
            {
                error = $"Unknown subscription type '{spec}'. Use <object>.<creation|deletion|propertyChange|associationChange>, object one of contact, company, deal, line_item, product.";
                return [];
            }
            if ((action == "propertyChange") != !string.IsNullOrEmpty(property))
            {
                error = action == "propertyChange"
                    ? $"Subscription '{spec}' needs a property name: {eventType}:<propertyName>."
                    : $"Only propertyChange subscriptions take a property name: '{spec}'.";
                return [];
            }
            result.Add(new Subscription { Id = _state.NextSubscriptionId++, EventType = eventType, PropertyName = property });
        }
        return result;
    }

    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private void SeedProducts(Portal portal, DateTimeOffset now)
    {
        var context = new ChangeContext(new Caller(portal.PortalId, 0, "sandbox"), now, emitEvents: false);
        (string Name, string Sku, string Price, string? Period, string? Frequency, string Description)[] products =
        [
            ("Consulting hour", "CONSULT-HR", "150.00", null, null, "One hour of senior consulting, billed as time and materials."),
            ("Implementation package", "IMPL-PKG", "5000.00", null, null, "Fixed-price implementation, billed on milestones."),
            ("Annual support subscription", "SUPPORT-12M", "12000.00", "P12M", "annually", "Twelve months of support, billed yearly."),
        ];
        foreach (var p in products)
        {
            var values = new Dictionary<string, string?>
            {
                ["name"] = p.Name,
                ["hs_sku"] = p.Sku,
                ["price"] = p.Price,
                ["description"] = p.Description,
            };
            if (p.Period is not null)
            {
                values["hs_recurring_billing_period"] = p.Period;
                values["recurringbillingfrequency"] = p.Frequency;
            }
            CreateObject(portal, ObjectType.Products, values, context);
        }
    }

    private Portal? FindPortal(long portalId) => _state.Portals.FirstOrDefault(p => p.PortalId == portalId);

    private Portal PortalOf(Caller caller) =>
        FindPortal(caller.PortalId) ?? throw new InvalidOperationException($"Portal {caller.PortalId} is gone (sandbox reset?).");

    private void Touch() => Interlocked.Increment(ref _version);

    private static string Id(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static JsonObject RenderPortal(Portal portal) => new()
    {
        ["portalId"] = Id(portal.PortalId),
        ["name"] = portal.Name,
        ["pipelines"] = new JsonArray(portal.DealPipelines.Select(p => (JsonNode)new JsonObject { ["id"] = p.Id, ["label"] = p.Label }).ToArray()),
    };

    private static JsonObject RenderApp(Portal portal, App app) => new()
    {
        ["appId"] = Id(app.AppId),
        ["portalId"] = Id(portal.PortalId),
        ["name"] = app.Name,
        ["clientSecret"] = app.ClientSecret,
        ["accessToken"] = app.AccessToken,
        ["targetUrl"] = app.TargetUrl,
        ["subscriptions"] = new JsonArray(app.Subscriptions.Select(s => (JsonNode)JsonValue.Create(s.Spec)).ToArray()),
        ["subscriptionIds"] = new JsonObject(app.Subscriptions.Select(s => KeyValuePair.Create(s.Spec, (JsonNode?)JsonValue.Create(s.Id)))),
    };
}

internal static class StateJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = false };
}
