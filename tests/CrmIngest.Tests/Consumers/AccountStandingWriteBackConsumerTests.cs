using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.CrmIngest.Infrastructure.WriteBack;
using QuoteToCash.CrmIngest.Tests.WriteBack;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.CrmIngest.Tests.Consumers;

/// <summary>A customer's standing written to its HubSpot company, on the test harness against the HubSpot sandbox process.</summary>
[Collection(HubSpotPortalCollection.Name)]
public sealed class AccountStandingWriteBackConsumerTests(HubSpotPortalFixture sandbox) : IAsyncLifetime
{
    private static readonly Guid ContosoId = Guid.Parse("6a0f3c1e-0d5b-4c55-9a3e-8b1f2d7c4e90");
    private ServiceHarness _harness = null!;
    private HubSpotPortal _portal = null!;
    private string _companyId = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await CrmIngestConsumerHarness.StartAsync();
        _portal = await sandbox.NewPortalAsync();
        await _harness.ConnectAsync(Tenant, _portal);
        _companyId = await _portal.CreateAsync("companies", new { name = "Contoso Logistics Ltd", domain = "contoso-logistics.test" });
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private AccountStandingChanged Standing(string standing, string? companyRef = null, int day = 31) => new()
    {
        TenantId = Tenant, CustomerId = ContosoId, CrmCompanyRef = companyRef ?? "hubspot:" + _companyId, Standing = standing,
        ChangedAt = ServiceHarness.DefaultStart.AddDays(day),
    };

    private async Task<string?> CompanyStandingAsync() =>
        (await _portal.ReadAsync("companies", _companyId, HubSpotWriter.AccountStanding)).GetValueOrDefault(HubSpotWriter.AccountStanding);

    [Fact]
    public async Task A_customer_past_due_shows_on_its_company()
    {
        await _harness.DeliverAsync(Standing("Past due 30+"));

        Assert.Equal("Past due 30+", await CompanyStandingAsync());
    }

    [Fact]
    public async Task A_customer_back_in_good_standing_shows_on_its_company()
    {
        await _harness.DeliverAsync(Standing("Past due 30+"));
        await _harness.DeliverAsync(Standing("Good", day: 40));

        Assert.Equal("Good", await CompanyStandingAsync());
    }

    [Fact]
    public async Task A_redelivered_change_is_written_once()
    {
        var messageId = await _harness.DeliverAsync(Standing("Past due 30+"));
        await SandboxCalls.OkAsync(sandbox.Client, HttpMethod.Patch, $"/crm/v3/objects/companies/{_companyId}", _portal.ToolsToken,
            new { properties = new Dictionary<string, string> { [HubSpotWriter.AccountStanding] = "Good" } });

        await _harness.PublishAsync(Standing("Past due 30+"), messageId);
        await _harness.ConsumedAsync<AccountStandingChanged>(messageId, times: 2);

        Assert.Equal("Good", await CompanyStandingAsync());
    }

    [Theory]
    [InlineData("no-separator")]
    [InlineData("generic:company-1")]
    public async Task A_company_reference_that_names_no_connected_crm_writes_nothing(string companyRef)
    {
        await _harness.DeliverAsync(Standing("Past due 30+", companyRef));

        Assert.Null(await CompanyStandingAsync());
        Assert.Null(await _portal.PropertyAsync("companies", HubSpotWriter.AccountStanding));
    }
}
