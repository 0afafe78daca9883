using QuoteToCash.Testing;
using QuoteToCash.Testing.Telemetry;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

// The platform tests share one broker and one running platform, and run one at a time.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]

namespace QuoteToCash.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The whole platform as run.sh starts it: five services and the gateway as real processes on loopback
/// ports, each with its own LiteDB file, all on the real RabbitMQ. Queues carry an "e2e-" prefix so a
/// local run on the same broker is not disturbed.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public static readonly (string Name, string Project)[] Services =
    [
        ("crm-ingest", "QuoteToCash.CrmIngest"),
        ("master-data", "QuoteToCash.MasterData"),
        ("billing-rules", "QuoteToCash.BillingRules"),
        ("accounting-sync", "QuoteToCash.AccountingSync"),
        ("reporting", "QuoteToCash.Reporting"),
    ];

    private readonly Dictionary<string, ServiceProcess> _processes = [];

    public string DataDirectory { get; } = TestEnvironment.NewScratchDirectory("platform");

    public string SigningKey { get; } = TestEnvironment.NewSigningKey();

    public string AdminPassword { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Wraps the services' and the web app's Data Protection key rings (DataProtection:KeyEncryptionKey), as run.sh generates one.</summary>
    public string KeyEncryptionKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public ServiceProcess Gateway => _processes["gateway"];

    /// <summary>The finance web app, reached by browsers through the gateway.</summary>
    public ServiceProcess WebApp => _processes["webapp"];

    public ServiceProcess HubSpot => _processes["hubspot-sandbox"];

    public ServiceProcess QuickBooks => _processes["quickbooks-sandbox"];

    public ServiceProcess Salesforce => _processes["salesforce-sandbox"];

    public ServiceProcess Service(string name) => _processes[name];

    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Where every platform process (services, gateway, web app) exports its spans, metrics and logs, as to a collector.</summary>
    public OtlpReceiver Telemetry { get; private set; } = null!;

    public string AdminToken { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        if (TestEnvironment.RabbitMqUri is null)
            return;
        Telemetry = await OtlpReceiver.StartAsync();
        foreach (var (name, project) in Services)
        {
            var process = new ServiceProcess(name, project, ServiceProcess.FreePort(), new Dictionary<string, string>(Telemetry.ExporterEnvironment)
            {
                ["ConnectionStrings__rabbitmq"] = TestEnvironment.RabbitMqUri,
                ["Storage__DataDirectory"] = DataDirectory,
                ["Auth__SigningKey"] = SigningKey,
                ["DataProtection__KeyEncryptionKey"] = KeyEncryptionKey,
                ["Messaging__EndpointPrefix"] = "e2e-" + name,
                // The sandboxes listen on 127.0.0.1, which production refuses.
                ["Connections__AllowLoopback"] = "true",
            }, DataDirectory);
            _processes[name] = process;
            process.Start();
        }

        var gatewayEnvironment = new Dictionary<string, string>(Telemetry.ExporterEnvironment)
        {
            // The local issuer is allowed only in Development and Local; Local is run.sh's environment.
            ["ASPNETCORE_ENVIRONMENT"] = "Local",
            ["Auth__SigningKey"] = SigningKey,
            ["Auth__DevIssuer__Enabled"] = "true",
            ["Auth__DevIssuer__Users__admin__Password"] = AdminPassword,
            ["Auth__DevIssuer__Users__admin__Roles__0"] = "admin",
            ["Auth__DevIssuer__Users__admin__Tenants__0"] = "*",
            ["Auth__DevIssuer__Users__sam__Password"] = AdminPassword,
            ["Auth__DevIssuer__Users__sam__Roles__0"] = "sales",
            ["Auth__DevIssuer__Users__sam__Tenants__0"] = "acme",
            // Two finance managers, for segregation of duties.
            ["Auth__DevIssuer__Users__maria__Password"] = AdminPassword,
            ["Auth__DevIssuer__Users__maria__Roles__0"] = "finance-manager",
            ["Auth__DevIssuer__Users__maria__Tenants__0"] = "*",
            ["Auth__DevIssuer__Users__omar__Password"] = AdminPassword,
            ["Auth__DevIssuer__Users__omar__Roles__0"] = "finance-manager",
            ["Auth__DevIssuer__Users__omar__Tenants__0"] = "*",
            ["Gateway__MaxRequestBodyBytes"] = "65536",
        };
        foreach (var (name, _) in Services)
            gatewayEnvironment[$"ReverseProxy__Clusters__{name}__Destinations__primary__Address"] = _processes[name].BaseAddress.ToString();
        // The finance web app behind the gateway's "/" and "/app/**", calling the APIs back through the gateway.
        var gatewayPort = ServiceProcess.FreePort();
        var webApp = new ServiceProcess("webapp", "QuoteToCash.WebApp", ServiceProcess.FreePort(), new Dictionary<string, string>(Telemetry.ExporterEnvironment)
        {
            ["WebApp__GatewayUrl"] = $"http://127.0.0.1:{gatewayPort}",
            ["WebApp__KeysDirectory"] = Path.Combine(DataDirectory, "webapp-keys"),
            ["DataProtection__KeyEncryptionKey"] = KeyEncryptionKey,
        }, DataDirectory);
        _processes["webapp"] = webApp;
        webApp.Start();
        gatewayEnvironment["ReverseProxy__Clusters__webapp__Destinations__primary__Address"] = webApp.BaseAddress.ToString();
        var gateway = new ServiceProcess("gateway", "QuoteToCash.Gateway", gatewayPort, gatewayEnvironment, DataDirectory);
        _processes["gateway"] = gateway;
        gateway.Start();

        // The CRM and QuickBooks the platform talks to, as run.sh starts them (webhook retries compressed).
        _processes["hubspot-sandbox"] = new ServiceProcess("hubspot-sandbox", "QuoteToCash.Sandbox.HubSpot", ServiceProcess.FreePort(),
            new Dictionary<string, string> { ["HubSpot__Webhooks__FlushIntervalMs"] = "200", ["HubSpot__Webhooks__RetryBaseDelayMs"] = "200" }, DataDirectory);
        _processes["quickbooks-sandbox"] = new ServiceProcess("quickbooks-sandbox", "QuoteToCash.Sandbox.QuickBooks", ServiceProcess.FreePort(),
            new Dictionary<string, string> { ["QuickBooks__Webhooks__RetryDelayScale"] = "0.001" }, DataDirectory);
        _processes["salesforce-sandbox"] = new ServiceProcess("salesforce-sandbox", "QuoteToCash.Sandbox.Salesforce", ServiceProcess.FreePort(),
            new Dictionary<string, string> { ["Salesforce__OutboundMessages__FlushIntervalMs"] = "200", ["Salesforce__OutboundMessages__RetryBaseDelayMs"] = "200" }, DataDirectory);
        _processes["salesforce-sandbox"].Start();
        _processes["hubspot-sandbox"].Start();
        _processes["quickbooks-sandbox"].Start();

        await Task.WhenAll(_processes.Values.Select(p => p.WaitReadyAsync(TimeSpan.FromSeconds(120))));
        Client.BaseAddress = gateway.BaseAddress;
        AdminToken = await SignInAsync("admin", AdminPassword);
    }

    public async Task<string> SignInAsync(string username, string password)
    {
        using var response = await Client.PostAsJsonAsync("/auth/token", new { username, password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("access_token").GetString()!;
    }

    private readonly Dictionary<string, Task<QuickBooksCompany>> _companies = [];

    /// <summary>
    /// Gives the tenant a QuickBooks company of its own in the sandbox and connects the platform to it, as an admin
    /// does through the connection API (once per tenant). Customers then reach QuickBooks and their deals move on.
    /// </summary>
    public Task<QuickBooksCompany> ConnectQuickBooksAsync(string tenant)
    {
        lock (_companies)
        {
            if (!_companies.TryGetValue(tenant, out var company))
                _companies[tenant] = company = ConnectAsync(tenant);
            return company;
        }
    }

    private async Task<QuickBooksCompany> ConnectAsync(string tenant)
    {
        using var quickbooks = new HttpClient { BaseAddress = QuickBooks.BaseAddress };
        async Task<JsonElement> Post(HttpClient client, string path, object body, string? token = null)
        {
            using var response = await client.SendAsync(Request(HttpMethod.Post, path, token, body));
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }
        var realm = (await Post(quickbooks, "/_sandbox/realms", new { name = tenant })).GetProperty("realmId").GetString()!;
        var app = await Post(quickbooks, "/_sandbox/apps", new
        {
            name = "platform-" + tenant,
            webhookUrl = new Uri(Gateway.BaseAddress, "/webhooks/quickbooks").ToString(),
            webhookFormat = "cloudevents",
        });
        var clientId = app.GetProperty("clientId").GetString()!;
        var grant = await Post(quickbooks, $"/_sandbox/realms/{realm}/connections", new { clientId, redirectUri = "http://localhost/callback" });
        using var connect = await Client.SendAsync(Request(HttpMethod.Put, $"/api/accounting/{tenant}/connection", AdminToken, new
        {
            environment = "sandbox",
            baseUrl = QuickBooks.BaseAddress.ToString(),
            tokenUrl = new Uri(QuickBooks.BaseAddress, "/oauth2/v1/tokens/bearer").ToString(),
            realmId = realm,
            clientId,
            clientSecret = app.GetProperty("clientSecret").GetString(),
            refreshToken = grant.GetProperty("refreshToken").GetString(),
            verifierToken = app.GetProperty("verifierToken").GetString(),
        }));
        connect.EnsureSuccessStatusCode();
        return new QuickBooksCompany(realm, grant.GetProperty("accessToken").GetString()!, app.GetProperty("verifierToken").GetString()!);
    }

    public HttpRequestMessage Request(HttpMethod method, string path, string? token = null, object? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
            request.Content = JsonContent.Create(json);
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Values)
            await process.DisposeAsync();
        Client.Dispose();
        if (Telemetry is not null)
            await Telemetry.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}

/// <summary>A tenant's company in the QuickBooks sandbox: its realm, and an access token for reading it as a test.</summary>
public sealed record QuickBooksCompany(string RealmId, string AccessToken, string VerifierToken);
