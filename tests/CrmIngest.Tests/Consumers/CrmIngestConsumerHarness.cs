using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.CrmIngest.Extensions;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.CrmIngest.Tests.WriteBack;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing.Harness;

namespace QuoteToCash.CrmIngest.Tests.Consumers;

/// <summary>
/// crm-ingest's consumers on the test harness, with its CRM clients and writers pointed at the HubSpot sandbox process. The
/// sandbox runs with HubSpot's own burst limit: a 429 would make the writer wait on the harness's fake clock.
/// </summary>
public static class CrmIngestConsumerHarness
{
    /// <param name="services">Registrations on top of the service's, e.g. a logger that records what the consumer logs.</param>
    public static Task<ServiceHarness> StartAsync(Action<IServiceCollection>? services = null) => ServiceHarness.StartAsync(x => x.AddCrmIngestHandlers(), collection =>
    {
        collection.AddDataProtection().UseEphemeralDataProtectionProvider();
        collection.AddCrmReaders();
        collection.AddWriteBack();
        collection.Configure<QuoteToCash.ServiceDefaults.Outbound.OutboundOptions>(o => o.AllowLoopback = true); // the sandboxes listen on 127.0.0.1
        services?.Invoke(collection);
    }, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Connects the tenant to the portal as an admin would through the connection API: the platform app's token, encrypted.</summary>
    public static async Task ConnectAsync(this ServiceHarness harness, string tenant, HubSpotPortal portal)
    {
        var protector = harness.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(CrmConnection.ProtectorPurpose);
        var now = harness.Time.GetUtcNow().UtcDateTime;
        await harness.Store.CommitAsync([DocumentWrite.Insert(CrmConnection.CollectionName, tenant, new CrmConnection
        {
            TenantId = tenant,
            Kind = "hubspot",
            BaseUrl = portal.Sandbox.BaseUrl,
            PortalId = portal.PortalId,
            ProtectedAccessToken = protector.Protect(portal.PlatformToken),
            Connected = now,
            Updated = now,
        })], TestContext.Current.CancellationToken);
    }
}
