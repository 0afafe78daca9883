using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using QuoteToCash.Testing;

namespace QuoteToCash.CrmIngest.Tests.WriteBack;

/// <summary>
/// The HubSpot sandbox as a real process, its burst limit scaled down (5 requests per 3 s per app) so that a 429 is easy
/// to provoke. Each test takes its own portal, so apps, rate budgets and custom properties do not leak between tests.
/// </summary>
public class HubSpotSandboxFixture : IAsyncLifetime
{
    public const int BurstLimit = 5;
    public const int BurstWindowMs = 3000;
    private readonly int _burstLimit;
    private readonly int _burstWindowMs;

    public HubSpotSandboxFixture() : this(BurstLimit, BurstWindowMs)
    {
    }

    protected HubSpotSandboxFixture(int burstLimit, int burstWindowMs)
    {
        _burstLimit = burstLimit;
        _burstWindowMs = burstWindowMs;
    }
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "q2c-crm-wb-" + Guid.NewGuid().ToString("N")[..10]);
    private ServiceProcess? _sandbox;

    public HttpClient Client { get; private set; } = null!;

    public string BaseUrl => _sandbox!.BaseAddress.ToString().TrimEnd('/');

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _sandbox = new ServiceProcess("hubspot-sandbox", "QuoteToCash.Sandbox.HubSpot", ServiceProcess.FreePort(), new Dictionary<string, string>
        {
            ["HubSpot__RateLimit__BurstLimit"] = _burstLimit.ToString(CultureInfo.InvariantCulture),
            ["HubSpot__RateLimit__BurstWindowMs"] = _burstWindowMs.ToString(CultureInfo.InvariantCulture),
        }, _directory);
        _sandbox.Start();
        await _sandbox.WaitReadyAsync(TimeSpan.FromSeconds(60), "/health/live");
        Client = new HttpClient { BaseAddress = _sandbox.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>A fresh portal with the platform's app (the token the write-back uses) and a separate tools token for setup and checks.</summary>
    public async Task<HubSpotPortal> NewPortalAsync()
    {
        var portal = await SandboxCalls.OkAsync(Client, HttpMethod.Post, "/_sandbox/portals", body: new { name = "wb-" + Guid.NewGuid().ToString("N")[..8] });
        var portalId = portal.GetProperty("portalId").GetString()!;
        var app = await SandboxCalls.OkAsync(Client, HttpMethod.Post, $"/_sandbox/portals/{portalId}/apps",
            body: new { name = "platform", targetUrl = (string?)null, subscriptions = Array.Empty<string>() });
        var tools = await SandboxCalls.OkAsync(Client, HttpMethod.Post, $"/_sandbox/portals/{portalId}/tokens", body: new { name = "tools" });
        return new HubSpotPortal(this, portalId, app.GetProperty("accessToken").GetString()!, tools.GetProperty("accessToken").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_sandbox is not null)
            await _sandbox.DisposeAsync();
    }
}

public sealed record HubSpotPortal(HubSpotSandboxFixture Sandbox, string PortalId, string PlatformToken, string ToolsToken)
{
    public async Task<string> CreateAsync(string objectType, object properties) =>
        (await SandboxCalls.OkAsync(Sandbox.Client, HttpMethod.Post, $"/crm/v3/objects/{objectType}", ToolsToken, new { properties }))
        .GetProperty("id").GetString()!;

    public async Task<IReadOnlyDictionary<string, string?>> ReadAsync(string objectType, string id, params string[] properties)
    {
        var json = await SandboxCalls.OkAsync(Sandbox.Client, HttpMethod.Get, $"/crm/v3/objects/{objectType}/{id}?properties={string.Join(',', properties)}", ToolsToken);
        return json.GetProperty("properties").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText());
    }

    /// <summary>The property definition, or null when the portal does not have it.</summary>
    public async Task<JsonElement?> PropertyAsync(string objectType, string name)
    {
        var (status, json) = await SandboxCalls.SendAsync(Sandbox.Client, HttpMethod.Get, $"/crm/v3/properties/{objectType}/{name}", ToolsToken);
        return status == System.Net.HttpStatusCode.NotFound ? null : json;
    }
}

/// <summary>The HubSpot sandbox with HubSpot's own burst limit (100 per 10 s), for tests about what is written rather than about throttling.</summary>
public sealed class HubSpotPortalFixture : HubSpotSandboxFixture
{
    public HubSpotPortalFixture() : base(100, 10_000)
    {
    }
}

[CollectionDefinition(Name)]
public sealed class HubSpotPortalCollection : ICollectionFixture<HubSpotPortalFixture>
{
    public const string Name = "hubspot-portal";
}

[CollectionDefinition(Name)]
public sealed class HubSpotSandboxCollection : ICollectionFixture<HubSpotSandboxFixture>
{
    public const string Name = "hubspot-sandbox";
}
