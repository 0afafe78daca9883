using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.AccountingSync.Extensions;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing;
using QuoteToCash.Testing.Harness;

namespace QuoteToCash.AccountingSync.Tests.Consumers;

/// <summary>The QuickBooks sandbox as a real process, shared by the consumer tests; each test gets a company (realm) of its own.</summary>
public sealed class QuickBooksSandboxProcess : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "q2c-qbo-consumers-" + Guid.NewGuid().ToString("N")[..10]);
    private ServiceProcess? _sandbox;

    public HttpClient Sandbox { get; private set; } = null!;

    public Uri BaseAddress => _sandbox!.BaseAddress;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _sandbox = new ServiceProcess("quickbooks-sandbox", "QuoteToCash.Sandbox.QuickBooks", ServiceProcess.FreePort(), new Dictionary<string, string>(), _directory);
        _sandbox.Start();
        await _sandbox.WaitReadyAsync(TimeSpan.FromSeconds(60), "/", anyAnswer: true);
        Sandbox = new HttpClient { BaseAddress = _sandbox.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await Sandbox.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"Sandbox {path}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    public async ValueTask DisposeAsync()
    {
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

[CollectionDefinition(nameof(QuickBooksSandboxProcessCollection))]
public sealed class QuickBooksSandboxProcessCollection : ICollectionFixture<QuickBooksSandboxProcess>;

/// <summary>
/// accounting-sync's consumers on the test harness, with its real QuickBooks client, token manager and rate governor
/// pointed at a fresh sandbox company. <see cref="ConnectAsync"/> stores the tenant's connection as the connection API
/// would; a tenant left unconnected is how "not connected" is tested.
/// </summary>
public sealed class QuickBooksCompanyHarness : IAsyncDisposable
{
    private readonly QuickBooksSandboxProcess _sandbox;

    private QuickBooksCompanyHarness(QuickBooksSandboxProcess sandbox, ServiceHarness harness, string realmId)
    {
        _sandbox = sandbox;
        Harness = harness;
        RealmId = realmId;
    }

    public ServiceHarness Harness { get; }

    public string RealmId { get; }

    /// <param name="posting">Also run the posting workers (invoices and adjustments), as the service does. The outbound worker
    /// (customers, invoice e-mails, time entries) always runs.</param>
    public static async Task<QuickBooksCompanyHarness> StartAsync(QuickBooksSandboxProcess sandbox, IDictionary<string, string?>? configuration = null,
        bool posting = false)
    {
        var realmId = (await sandbox.PostAsync("/_sandbox/realms", new { name = "consumers-" + Guid.NewGuid().ToString("N")[..8] })).GetProperty("realmId").GetString()!;
        var settings = new Dictionary<string, string?>
        {
            // The harness clock stands still: the workers must not wait on it for a fuller batch.
            ["QuickBooks:Posting:MaxLinger"] = "00:00:00",
            ["QuickBooks:Posting:PollInterval"] = "00:00:00.050",
            // The sandbox listens on 127.0.0.1, which production refuses.
            ["Connections:AllowLoopback"] = "true",
        };
        foreach (var (key, value) in configuration ?? new Dictionary<string, string?>())
            settings[key] = value;
        var harness = await ServiceHarness.StartAsync(x => x.AddAccountingSyncHandlers(), services =>
        {
            services.AddDataProtection().UseEphemeralDataProtectionProvider();
            services.AddQuickBooksClient();
            if (posting)
                services.AddAccountingSyncPosting();
            else
                services.AddSingleton<QuoteToCash.AccountingSync.Infrastructure.Posting.InvoicePostingSignal>()
                    .AddSingleton<QuoteToCash.AccountingSync.Infrastructure.Adjustments.AdjustmentSignal>()
                    .AddSingleton<QuoteToCash.AccountingSync.Infrastructure.Posting.PostingSequence>()
                    .AddAccountingSyncOutbound();
        }, settings, cancellationToken: TestContext.Current.CancellationToken);
        return new QuickBooksCompanyHarness(sandbox, harness, realmId);
    }

    /// <summary>Closes the company's books through the date (null reopens them), as its admin does in QuickBooks.</summary>
    public async Task CloseBooksAsync(DateOnly? closingDate)
    {
        using var response = await _sandbox.Sandbox.PutAsJsonAsync($"/_sandbox/realms/{RealmId}/closing-date",
            new { closingDate = closingDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The entity the sandbox holds with that Id.</summary>
    public async Task<JsonElement> EntityAsync(string entity, string id) =>
        (await EntitiesAsync(entity)).Single(e => e.GetProperty("Id").GetString() == id);

    /// <summary>Reads through the QuickBooks API, as accounting-sync does.</summary>
    public async Task<T> ReadInQuickBooksAsync<T>(string tenantId, string id) where T : QboEntity
    {
        using var scope = Harness.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<QboClient>().ReadAsync<T>(tenantId, id, TestContext.Current.CancellationToken);
    }

    /// <summary>Connects the tenant to this harness's company with a fresh app, as an administrator would.</summary>
    public async Task ConnectAsync(string tenantId)
    {
        var app = await _sandbox.PostAsync("/_sandbox/apps", new { name = "platform-" + Guid.NewGuid().ToString("N")[..8], webhookUrl = (string?)null, webhookFormat = "legacy" });
        var consent = await _sandbox.PostAsync($"/_sandbox/realms/{RealmId}/connections", new { clientId = app.GetProperty("clientId").GetString(), redirectUri = "http://localhost/callback" });
        var protector = Harness.Services.GetRequiredService<QboTokenManager>().Protector;
        var now = Harness.Time.GetUtcNow().UtcDateTime;
        await Harness.Store.CommitAsync([DocumentWrite.Upsert(QboConnection.CollectionName, tenantId, new QboConnection
        {
            TenantId = tenantId,
            Environment = "sandbox",
            BaseUrl = _sandbox.BaseAddress.ToString().TrimEnd('/'),
            TokenUrl = new Uri(_sandbox.BaseAddress, "/oauth2/v1/tokens/bearer").ToString(),
            RealmId = RealmId,
            ClientId = app.GetProperty("clientId").GetString()!,
            ProtectedClientSecret = protector.Protect(app.GetProperty("clientSecret").GetString()!),
            ProtectedRefreshToken = protector.Protect(consent.GetProperty("refreshToken").GetString()!),
            Status = QboConnectionStatus.Connected,
            Connected = now,
            Updated = now,
        })]);
    }

    /// <summary>What the sandbox company holds for an entity, inactive records included (its control API: no auth, no limits).</summary>
    public async Task<List<JsonElement>> EntitiesAsync(string entity)
    {
        var text = await _sandbox.Sandbox.GetStringAsync($"/_sandbox/realms/{RealmId}/entities/{entity}");
        return JsonSerializer.Deserialize<JsonElement>(text).EnumerateArray().ToList();
    }

    /// <summary>Writes straight into the company through the QuickBooks API, as someone working in QuickBooks would.</summary>
    public async Task<T> CreateInQuickBooksAsync<T>(string tenantId, T entity) where T : QboEntity
    {
        using var scope = Harness.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<QboClient>().CreateAsync(tenantId, entity, Guid.NewGuid().ToString("N"), TestContext.Current.CancellationToken);
    }

    public async Task<QboCustomer> DeactivateInQuickBooksAsync(string tenantId, QboCustomer customer)
    {
        using var scope = Harness.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<QboClient>().SparseUpdateAsync(tenantId, customer.Id!, _ => new QboCustomer { Active = false },
            Guid.NewGuid().ToString("N"), customer.SyncToken, TestContext.Current.CancellationToken);
    }

    /// <summary>The one message of this type the service published for the customer, once it is there.</summary>
    public async Task<T> PublishedAsync<T>(Func<T, bool> match) where T : class
    {
        await Polling.Eventually(() => Harness.Published<T>().Any(match), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20));
        return Assert.Single(Harness.Published<T>(), m => match(m));
    }

    /// <summary>Waits until the outbound worker has run every queued operation (held ones wait for something else) and what they published was consumed.</summary>
    public async Task OutboundDrainedAsync()
    {
        var entries = Harness.Store.Collection<QuoteToCash.AccountingSync.Infrastructure.Outbound.OutboundEntry>(
            QuoteToCash.AccountingSync.Infrastructure.Outbound.OutboundEntry.CollectionName);
        Assert.True(await Polling.Eventually(async () => await entries.CountAsync(e => e.State == QuoteToCash.AccountingSync.Infrastructure.Outbound.OutboundState.Queued,
            TestContext.Current.CancellationToken) == 0, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20)), "the outbound queue was not drained");
        await Harness.SettleAsync();
    }

    public ValueTask DisposeAsync() => Harness.DisposeAsync();
}
