using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.CrmIngest.Extensions;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.ServiceDefaults.Storage;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.CrmIngest.Tests.Integration;

/// <summary>
/// CrmIngest's CRM clients and data protection around the MassTransit test harness, with a scratch folder for the
/// document store and a tenant of its own: the set-up the Salesforce consumer and backfill tests share.
/// </summary>
internal sealed class CrmIngestHarness : IAsyncDisposable
{
    private readonly string _directory;

    private CrmIngestHarness(string directory, ServiceProvider provider)
    {
        _directory = directory;
        Provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
    }

    public string Tenant { get; } = "tenant-" + Guid.NewGuid().ToString("N")[..8];

    public ServiceProvider Provider { get; }

    public ITestHarness Harness { get; }

    /// <summary>Where a LiteDB store of this harness lives.</summary>
    public string StorePath => Path.Combine(_directory, "crm-ingest.db");

    /// <param name="purpose">Names the scratch folder.</param>
    /// <param name="services">Registrations on top of logging, data protection and the CRM clients; gets <see cref="StorePath"/>.</param>
    /// <param name="bus">Consumers for the test harness.</param>
    public static async Task<CrmIngestHarness> StartAsync(string purpose, Action<IServiceCollection, string>? services = null,
        Action<IBusRegistrationConfigurator>? bus = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"q2c-crm-{purpose}-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(directory);
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddDataProtection().UseEphemeralDataProtectionProvider();
        collection.AddCrmReaders();
        collection.Configure<QuoteToCash.ServiceDefaults.Outbound.OutboundOptions>(o => o.AllowLoopback = true); // the sandboxes listen on 127.0.0.1
        services?.Invoke(collection, Path.Combine(directory, "crm-ingest.db"));
        collection.AddMassTransitTestHarness(x => bus?.Invoke(x));
        var harness = new CrmIngestHarness(directory, collection.BuildServiceProvider(validateScopes: true));
        await harness.Harness.Start();
        return harness;
    }

    /// <summary>The tenant's connection to a Salesforce org, its token protected as the connection API stores it.</summary>
    public DocumentWrite SalesforceConnection(SalesforceClientTests.Org org)
    {
        var protector = Provider.GetRequiredService<IDataProtectionProvider>().CreateProtector(CrmConnection.ProtectorPurpose);
        return DocumentWrite.Insert(CrmConnection.CollectionName, Tenant, new CrmConnection
        {
            TenantId = Tenant,
            Kind = "salesforce",
            BaseUrl = org.InstanceUrl,
            ProtectedAccessToken = protector.Protect(org.Token),
            Connected = DateTime.UtcNow,
            Updated = DateTime.UtcNow,
        });
    }

    /// <summary>The published messages that match, once at least <paramref name="atLeast"/> of them were seen (or 30 s passed).</summary>
    public async Task<List<T>> PublishedAsync<T>(Func<T, bool> match, int atLeast) where T : class
    {
        List<T> seen = [];
        await Eventually(() => (seen = Harness.Published.Select<T>(TestContext.Current.CancellationToken).Select(m => m.Context.Message).Where(match).ToList()).Count >= atLeast);
        return seen;
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await Provider.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
