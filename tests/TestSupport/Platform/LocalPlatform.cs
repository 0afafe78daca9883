using System.Net.Http.Json;
using System.Text.Json;

namespace QuoteToCash.Testing.Platform;

/// <summary>
/// The whole platform as run.sh starts it, on a broker the caller names: the five services, the gateway (with the local
/// token issuer), the finance web app and the three sandboxes, each a real process on a loopback port with its own LiteDB file. A service
/// can be killed (SIGKILL: no shutdown, no flush) and started again on the same port and data. Used by the acceptance
/// suite's own platform and by the end-to-end latency benchmark.
/// </summary>
public sealed class LocalPlatform : IAsyncDisposable
{
    /// <summary>The five services: name (also the gateway's cluster) and project.</summary>
    public static readonly (string Name, string Project)[] Services =
    [
        ("crm-ingest", "QuoteToCash.CrmIngest"),
        ("master-data", "QuoteToCash.MasterData"),
        ("billing-rules", "QuoteToCash.BillingRules"),
        ("accounting-sync", "QuoteToCash.AccountingSync"),
        ("reporting", "QuoteToCash.Reporting"),
    ];

    private readonly Dictionary<string, ServiceProcess> _processes = [];
    private readonly string _signingKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
    private readonly string _keyEncryptionKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <param name="rabbitMqUri">The broker every service uses.</param>
    /// <param name="endpointPrefix">Put before each service's name in its queue names (e.g. "acc-" gives "acc-billing-rules-…").</param>
    /// <param name="settings">Extra environment per process name ("billing-rules", "gateway", "quickbooks-sandbox", …; "*" for every service).</param>
    public LocalPlatform(string rabbitMqUri, string endpointPrefix, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? settings = null)
    {
        RabbitMqUri = rabbitMqUri;
        EndpointPrefix = endpointPrefix;
        Settings = settings ?? new Dictionary<string, IReadOnlyDictionary<string, string>>();
        DataDirectory = Path.Combine(Path.GetTempPath(), "q2c-platform-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(DataDirectory);
    }

    public string RabbitMqUri { get; }

    public string EndpointPrefix { get; }

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Settings { get; }

    /// <summary>LiteDB files and every process's log (name.log).</summary>
    public string DataDirectory { get; }

    public string AdminPassword { get; } = Guid.NewGuid().ToString("N");

    public string AdminToken { get; private set; } = "";

    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public ServiceProcess Gateway => _processes["gateway"];

    /// <summary>The finance web app (served to browsers through the gateway's "/").</summary>
    public ServiceProcess WebApp => _processes["webapp"];

    public ServiceProcess QuickBooks => _processes["quickbooks-sandbox"];

    public ServiceProcess HubSpot => _processes["hubspot-sandbox"];

    public ServiceProcess Salesforce => _processes["salesforce-sandbox"];

    public ServiceProcess Process(string name) => _processes[name];

    /// <summary>Every process of the platform, by name.</summary>
    public IReadOnlyDictionary<string, ServiceProcess> Processes => _processes;

    /// <summary>What a tenant set-up needs: the gateway with an admin token, and the three sandboxes.</summary>
    public PlatformEndpoints Endpoints => new(Gateway.BaseAddress, AdminToken, QuickBooks.BaseAddress, HubSpot.BaseAddress, Salesforce.BaseAddress);

    private Dictionary<string, string> For(string name, Dictionary<string, string> environment)
    {
        foreach (var key in new[] { "*", name })
        {
            if (Settings.TryGetValue(key, out var extra) && (key != "*" || !name.EndsWith("-sandbox", StringComparison.Ordinal)))
                foreach (var (k, v) in extra)
                    environment[k] = v;
        }
        return environment;
    }

    public async Task StartAsync(TimeSpan? timeout = null)
    {
        foreach (var (name, project) in Services)
        {
            _processes[name] = new ServiceProcess(name, project, ServiceProcess.FreePort(), For(name, new Dictionary<string, string>
            {
                ["ConnectionStrings__rabbitmq"] = RabbitMqUri,
                ["Storage__DataDirectory"] = DataDirectory,
                ["Auth__SigningKey"] = _signingKey,
                ["DataProtection__KeyEncryptionKey"] = _keyEncryptionKey,
                ["Messaging__EndpointPrefix"] = EndpointPrefix + name,
                // The sandboxes listen on 127.0.0.1, which production refuses.
                ["Connections__AllowLoopback"] = "true",
            }), DataDirectory);
        }
        var gateway = For("gateway", new Dictionary<string, string>
        {
            // The local issuer is allowed only in Development and Local; Local is run.sh's environment.
            ["ASPNETCORE_ENVIRONMENT"] = "Local",
            ["Auth__SigningKey"] = _signingKey,
            ["Auth__DevIssuer__Enabled"] = "true",
            ["Auth__DevIssuer__Users__admin__Password"] = AdminPassword,
            ["Auth__DevIssuer__Users__admin__Roles__0"] = "admin",
            ["Auth__DevIssuer__Users__admin__Tenants__0"] = "*",
        });
        foreach (var (name, _) in Services)
            gateway[$"ReverseProxy__Clusters__{name}__Destinations__primary__Address"] = _processes[name].BaseAddress.ToString();
        // The finance web app behind the gateway's "/" and "/app/**": it calls the APIs back through the gateway.
        var gatewayPort = ServiceProcess.FreePort();
        _processes["webapp"] = new ServiceProcess("webapp", "QuoteToCash.WebApp", ServiceProcess.FreePort(), For("webapp", new Dictionary<string, string>
        {
            ["WebApp__GatewayUrl"] = $"http://127.0.0.1:{gatewayPort}",
            ["WebApp__KeysDirectory"] = Path.Combine(DataDirectory, "webapp-keys"),
            ["DataProtection__KeyEncryptionKey"] = _keyEncryptionKey,
        }), DataDirectory);
        gateway["ReverseProxy__Clusters__webapp__Destinations__primary__Address"] = _processes["webapp"].BaseAddress.ToString();
        _processes["gateway"] = new ServiceProcess("gateway", "QuoteToCash.Gateway", gatewayPort, gateway, DataDirectory);
        // The CRM and QuickBooks the platform talks to, as run.sh starts them (webhook retries compressed).
        _processes["hubspot-sandbox"] = new ServiceProcess("hubspot-sandbox", "QuoteToCash.Sandbox.HubSpot", ServiceProcess.FreePort(),
            For("hubspot-sandbox", new() { ["HubSpot__Webhooks__FlushIntervalMs"] = "200", ["HubSpot__Webhooks__RetryBaseDelayMs"] = "200" }), DataDirectory);
        _processes["quickbooks-sandbox"] = new ServiceProcess("quickbooks-sandbox", "QuoteToCash.Sandbox.QuickBooks", ServiceProcess.FreePort(),
            For("quickbooks-sandbox", new() { ["QuickBooks__Webhooks__RetryDelayScale"] = "0.001" }), DataDirectory);
        _processes["salesforce-sandbox"] = new ServiceProcess("salesforce-sandbox", "QuoteToCash.Sandbox.Salesforce", ServiceProcess.FreePort(),
            For("salesforce-sandbox", new() { ["Salesforce__OutboundMessages__FlushIntervalMs"] = "200", ["Salesforce__OutboundMessages__RetryBaseDelayMs"] = "200" }), DataDirectory);
        foreach (var process in _processes.Values)
            process.Start();
        await Task.WhenAll(_processes.Values.Select(p => p.WaitReadyAsync(timeout ?? TimeSpan.FromSeconds(120))));
        Client.BaseAddress = Gateway.BaseAddress;
        using var response = await Client.PostAsJsonAsync("/auth/token", new { username = "admin", password = AdminPassword });
        response.EnsureSuccessStatusCode();
        AdminToken = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    /// <summary>Kills the process with SIGKILL (no shutdown hooks, no flush, no acknowledgements) and waits until it is gone.</summary>
    public Task KillAsync(string name) => _processes[name].StopAsync();

    /// <summary>Starts a killed process again on the same port, with the same data files, and waits until it is ready.</summary>
    public async Task StartAgainAsync(string name, TimeSpan? timeout = null)
    {
        var process = _processes[name];
        process.Start();
        await process.WaitReadyAsync(timeout ?? TimeSpan.FromSeconds(120));
    }

    /// <summary>The last lines of every service's log, for a failure message.</summary>
    public string LogTails(int lines = 15) =>
        string.Join("\n", Services.Select(s => $"--- {s.Name}\n{_processes[s.Name].LogTail(lines)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Values)
            await process.DisposeAsync();
        Client.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Where a running platform and its sandboxes answer, and an admin token for the gateway.</summary>
public sealed record PlatformEndpoints(Uri Gateway, string AdminToken, Uri QuickBooks, Uri HubSpot, Uri Salesforce);
