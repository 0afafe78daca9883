using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.CrmIngest.Apis;
using QuoteToCash.CrmIngest.Extensions;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.CrmIngest.Infrastructure.HubSpot;
using QuoteToCash.ServiceDefaults.Outbound;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing.Apis;
using QuoteToCash.Testing.Harness;

namespace QuoteToCash.CrmIngest.Tests.Apis;

/// <summary>
/// PUT /api/crm/{tenant}/connection, the handler called as ASP.NET Core would: a CRM base URL must be one of the CRM's
/// own hosts; metadata, link-local, loopback and private addresses are refused in production and nothing is stored.
/// </summary>
public sealed class CrmConnectionApiTests
{
    private const string Tenant = "acme";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<ServiceHarness> StartAsync(bool localRun = false) =>
        ServiceHarness.StartAsync(_ => { }, services =>
        {
            services.AddDataProtection().UseEphemeralDataProtectionProvider();
            services.AddCrmReaders();
        }, localRun ? new Dictionary<string, string?> { ["Connections:AllowLoopback"] = "true" } : null, cancellationToken: Ct);

    private static CrmConnectionApi.ConnectionRequest HubSpot(string baseUrl) => new()
    {
        Kind = "hubspot",
        BaseUrl = baseUrl,
        AccessToken = "pat-na1-token",
        ClientSecret = "app-secret",
        PortalId = "4412345",
    };

    private static CrmConnectionApi.ConnectionRequest Salesforce(string baseUrl) => new()
    {
        Kind = "salesforce",
        BaseUrl = baseUrl,
        AccessToken = "00D-session",
        OrganizationId = "00D5g000004ABCDEAA",
    };

    private static async Task<ProblemAnswer> PutAsync(ServiceHarness harness, CrmConnectionApi.ConnectionRequest request)
    {
        await using var scope = harness.Services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var result = await CrmConnectionApi.Put(Tenant, request, sp.GetRequiredService<IDocumentStore>(), sp.GetRequiredService<IDataProtectionProvider>(),
            sp.GetRequiredService<OutboundPolicy>(), harness.Time, Ct);
        return await ProblemAnswer.WriteAsync(result.Result);
    }

    private static Task<CrmConnection?> StoredAsync(ServiceHarness harness) => harness.GetAsync<CrmConnection>(CrmConnection.CollectionName, Tenant);

    [Fact]
    public async Task Legacy_hubspot_signatures_stay_off_unless_the_connection_asks_for_them()
    {
        await using var harness = await StartAsync();
        var request = HubSpot("https://api.hubapi.com");

        Assert.Equal(200, (await PutAsync(harness, request)).Status);
        Assert.False((await StoredAsync(harness))!.AllowLegacySignatures);
        Assert.Equal(200, (await PutAsync(harness, request with { AllowLegacySignatures = true })).Status);
        Assert.True((await StoredAsync(harness))!.AllowLegacySignatures);
        Assert.True(CrmConnectionApi.View((await StoredAsync(harness))!).AllowLegacySignatures);
        Assert.Equal(200, (await PutAsync(harness, request)).Status);
        Assert.False((await StoredAsync(harness))!.AllowLegacySignatures);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[fe80::a9fe:a9fe]/")]
    [InlineData("http://127.0.0.1:8092")]
    [InlineData("http://localhost:8092")]
    [InlineData("https://10.20.30.40")]
    [InlineData("https://172.16.0.10")]
    public async Task A_HubSpot_base_url_on_a_metadata_loopback_or_private_address_is_refused_in_production(string baseUrl)
    {
        await using var harness = await StartAsync();

        var answer = await PutAsync(harness, HubSpot(baseUrl));

        Assert.Equal(400, answer.Status);
        Assert.True(answer.IsProblemJson, answer.ContentType);
        Assert.Contains("\"baseUrl\"", answer.Body);
        Assert.Null(await StoredAsync(harness));
    }

    [Theory]
    [InlineData("https://acme.my.salesforce.com.example.net")]
    [InlineData("https://api.hubapi.com")]
    [InlineData("http://169.254.169.254")]
    public async Task A_Salesforce_instance_url_outside_the_Salesforce_hosts_is_refused(string baseUrl)
    {
        await using var harness = await StartAsync();

        var answer = await PutAsync(harness, Salesforce(baseUrl));

        Assert.Equal(400, answer.Status);
        Assert.True(answer.IsProblemJson, answer.ContentType);
        Assert.Null(await StoredAsync(harness));
    }

    [Fact]
    public async Task The_CRMs_own_hosts_are_accepted_in_production()
    {
        await using var harness = await StartAsync();

        var hubSpot = await PutAsync(harness, HubSpot("https://api.hubapi.com"));
        var salesforce = await PutAsync(harness, Salesforce("https://acme.my.salesforce.com"));

        Assert.Equal((200, 200), (hubSpot.Status, salesforce.Status));
        Assert.Equal("https://acme.my.salesforce.com", (await StoredAsync(harness))?.BaseUrl);
    }

    [Fact]
    public async Task A_local_run_connects_to_the_sandbox_on_loopback()
    {
        await using var harness = await StartAsync(localRun: true);

        var answer = await PutAsync(harness, HubSpot("http://127.0.0.1:8092"));

        Assert.Equal(200, answer.Status);
        Assert.Equal("http://127.0.0.1:8092", (await StoredAsync(harness))?.BaseUrl);
    }

    [Fact]
    public async Task A_connection_stored_before_the_policy_cannot_make_the_reader_call_the_metadata_service()
    {
        await using var harness = await StartAsync();
        await using var scope = harness.Services.CreateAsyncScope();
        var client = scope.ServiceProvider.GetRequiredService<HubSpotClient>();

        var refused = await Assert.ThrowsAsync<OutboundRefusedException>(() =>
            client.GetDealAsync("http://169.254.169.254/latest/meta-data", "pat-na1-token", "1001", Ct));

        Assert.Equal(OutboundVendors.HubSpot, refused.Vendor);
    }
}
