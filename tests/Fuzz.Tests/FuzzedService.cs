using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.Fuzz.Tests;

/// <summary>
/// One service's real host in process (its own Program, configuration and endpoints) with a LiteDB store in a temporary
/// folder that reports its writes, MassTransit's in-memory test harness instead of RabbitMQ (same consumers and sagas),
/// and an operator token for an admin of every tenant, so the fuzz reaches past authentication.
/// </summary>
public sealed class FuzzedService<TEntryPoint> : WebApplicationFactory<TEntryPoint>, IFuzzedService where TEntryPoint : class
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "q2c-fuzz", Guid.NewGuid().ToString("N"));
    private readonly string _signingKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    private readonly IReadOnlyDictionary<string, string> _settings;
    private bool _observing;

    /// <param name="settings">Configuration of this host on top of the fuzz's own.</param>
    public FuzzedService(string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        Name = name;
        _settings = settings ?? new Dictionary<string, string>();
        Directory.CreateDirectory(_directory);
    }

    public string Name { get; }

    public RequestEffects Effects => Services.GetRequiredService<RequestEffects>();

    public IReadOnlyList<Endpoint> Endpoints => Services.GetRequiredService<EndpointDataSource>().Endpoints;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Development, because that is where minimal APIs throw on bad requests instead of answering them quietly.
        builder.UseEnvironment("Development");
        builder.UseSetting("Storage:LiteDbPath", Path.Combine(_directory, Name + ".db"));
        builder.UseSetting("Auth:SigningKey", _signingKey);
        builder.UseSetting("Messaging:EndpointPrefix", "fuzz-" + Name);
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.ClearProviders());
        builder.ConfigureTestServices(services =>
        {
            services.AddHttpContextAccessor();
            services.AddSingleton<RequestEffects>();
            var store = services.Last(d => d.ServiceType == typeof(IDocumentStore));
            services.Remove(store);
            services.AddSingleton<IDocumentStore>(sp => new CountingDocumentStore(
                (IDocumentStore)store.ImplementationFactory!(sp), sp.GetRequiredService<RequestEffects>()));
            services.AddMassTransitTestHarness();
        });
    }

    /// <summary>A client signed in as an admin of every tenant; the first call starts the host.</summary>
    public HttpClient Client()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new("Bearer", OperatorToken());
        if (!_observing)
        {
            var bus = Services.GetRequiredService<IBus>();
            bus.ConnectPublishObserver(Effects);
            bus.ConnectSendObserver(Effects);
            _observing = true;
        }
        return client;
    }

    private string OperatorToken() => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "quotetocash-local",
        Audience = "quotetocash",
        Subject = new ClaimsIdentity([new Claim("sub", "fuzz-admin"), new Claim("role", "admin"), new Claim("tenants", "*")]),
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(_signingKey)), SecurityAlgorithms.HmacSha256),
    });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Only tidying up: a file still held open fails nothing.
        }
    }
}

/// <summary>What the fuzz needs of a service host, whatever its entry point.</summary>
public interface IFuzzedService : IAsyncDisposable
{
    string Name { get; }
    RequestEffects Effects { get; }
    IReadOnlyList<Endpoint> Endpoints { get; }
    /// <summary>The host's services, for setting up what a request needs (a connection to sign for) outside any request.</summary>
    IServiceProvider Services { get; }
    HttpClient Client();
}
