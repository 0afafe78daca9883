using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using QuoteToCash.Testing;

namespace QuoteToCash.AccountingSync.Tests.Integration;

/// <summary>
/// The QuickBooks sandbox as a real process with limits scaled to a 3-second window, and accounting-sync
/// in-process (WebApplicationFactory) on real RabbitMQ and a LiteDB file, connected to a sandbox realm
/// through the connection API with a one-time authorization code.
/// </summary>
public sealed class QuickBooksSandboxFixture : IAsyncLifetime
{
    public const string Tenant = "acme";
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(3);
    public const int RequestsPerWindow = 60;
    public const int BatchesPerWindow = 6;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "q2c-acct-" + Guid.NewGuid().ToString("N")[..10]);
    private ServiceProcess? _sandbox;

    public string SigningKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
    public HttpClient Sandbox { get; private set; } = null!;
    public string RealmId { get; private set; } = string.Empty;
    public JsonElement PlatformApp { get; private set; }
    public JsonElement ToolsConnection { get; private set; }
    public WebApplicationFactory<Program> Service { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;
    public string? Unavailable { get; private set; }

    /// <summary>Warnings and errors of accounting-sync during the run.</summary>
    public string LogFile => Path.Combine(_directory, "accounting-sync.log");

    public async ValueTask InitializeAsync()
    {
        var rabbit = Environment.GetEnvironmentVariable("RABBITMQ_URI");
        if (string.IsNullOrEmpty(rabbit))
        {
            Unavailable = "RABBITMQ_URI is not set: accounting-sync needs its broker (test.sh starts one).";
            return;
        }
        Directory.CreateDirectory(_directory);
        _sandbox = new ServiceProcess("quickbooks-sandbox", "QuoteToCash.Sandbox.QuickBooks", ServiceProcess.FreePort(), new Dictionary<string, string>
        {
            ["QuickBooks__Limits__RequestsPerMinute"] = RequestsPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["QuickBooks__Limits__BatchesPerMinute"] = BatchesPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["QuickBooks__Limits__Window"] = Window.ToString(),
            ["QuickBooks__Webhooks__RetryDelayScale"] = "0.001",
        }, _directory);
        _sandbox.Start();
        await _sandbox.WaitReadyAsync(TimeSpan.FromSeconds(60), "/", anyAnswer: true);
        Sandbox = new HttpClient { BaseAddress = _sandbox.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        RealmId = (await PostAsync("/_sandbox/realms", new { name = "acct-tests" })).GetProperty("realmId").GetString()!;
        PlatformApp = await PostAsync("/_sandbox/apps", new { name = "platform", webhookUrl = (string?)null, webhookFormat = "legacy" });
        var tools = await PostAsync("/_sandbox/apps", new { name = "tools", webhookUrl = (string?)null, webhookFormat = "legacy" });
        ToolsConnection = await PostAsync($"/_sandbox/realms/{RealmId}/connections", new { clientId = tools.GetProperty("clientId").GetString(), redirectUri = "http://localhost/callback" });
        var consent = await PostAsync($"/_sandbox/realms/{RealmId}/connections", new { clientId = PlatformApp.GetProperty("clientId").GetString(), redirectUri = "http://localhost/callback" });

        Service = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.ConfigureLogging(logging => logging.AddProvider(new FileLoggerProvider(LogFile)));
            web.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:rabbitmq"] = rabbit,
                ["Storage:LiteDbPath"] = Path.Combine(_directory, "accounting-sync.db"),
                ["Auth:SigningKey"] = SigningKey,
                ["DataProtection:KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Messaging:EndpointPrefix"] = "acct-tests",
                // The sandbox listens on 127.0.0.1, which production refuses.
                ["Connections:AllowLoopback"] = "true",
                ["QuickBooks:Limits:RequestsPerMinute"] = RequestsPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["QuickBooks:Limits:BatchesPerMinute"] = BatchesPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["QuickBooks:Limits:Window"] = Window.ToString(),
                ["QuickBooks:Limits:ThrottleBackoff"] = "00:00:03",
                ["QuickBooks:Posting:PollInterval"] = "00:00:00.200",
            }));
        });
        Api = Service.CreateClient();
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token("admin"));

        using var connect = await Api.PutAsJsonAsync($"/api/accounting/{Tenant}/connection", new
        {
            environment = "sandbox",
            baseUrl = _sandbox.BaseAddress.ToString(),
            tokenUrl = new Uri(_sandbox.BaseAddress, "/oauth2/v1/tokens/bearer").ToString(),
            realmId = RealmId,
            clientId = PlatformApp.GetProperty("clientId").GetString(),
            clientSecret = PlatformApp.GetProperty("clientSecret").GetString(),
            authorizationCode = consent.GetProperty("authorizationCode").GetString(),
            redirectUri = "http://localhost/callback",
            verifierToken = PlatformApp.GetProperty("verifierToken").GetString(),
        });
        var body = await connect.Content.ReadAsStringAsync();
        if (!connect.IsSuccessStatusCode)
            throw new InvalidOperationException($"Connecting accounting-sync to the sandbox failed: {(int)connect.StatusCode} {body}\n{(File.Exists(LogFile) ? File.ReadAllText(LogFile) : "")}");
    }

    public string Token(params string[] roles)
    {
        var claims = new List<Claim> { new("sub", "test-operator"), new("tenants", "*") };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "quotetocash-local",
            Audience = "quotetocash",
            Subject = new ClaimsIdentity(claims),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    public async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await Sandbox.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Sandbox {path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    /// <summary>What the sandbox holds for an entity, read through its control API (no auth, no limits).</summary>
    public async Task<List<JsonElement>> EntitiesAsync(string entity)
    {
        var text = await Sandbox.GetStringAsync($"/_sandbox/realms/{RealmId}/entities/{entity}");
        var root = JsonSerializer.Deserialize<JsonElement>(text);
        var list = root.ValueKind == JsonValueKind.Array ? root : root.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Array).Value;
        return list.EnumerateArray().ToList();
    }

    public void SkipIfUnavailable() => Assert.SkipWhen(Unavailable is not null, Unavailable ?? string.Empty);

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        if (Service is not null)
            await Service.DisposeAsync();
        Sandbox?.Dispose();
        if (_sandbox is not null)
            await _sandbox.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
