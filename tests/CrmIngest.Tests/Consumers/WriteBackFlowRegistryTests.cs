using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.CrmIngest.Infrastructure.WriteBack;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.CrmIngest.Tests.Consumers;

/// <summary>Which CRM deal and company each flow came from, recorded from DealWon on the test harness with crm-ingest's own store.</summary>
public sealed class WriteBackFlowRegistryTests : IAsyncLifetime
{
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await CrmIngestConsumerHarness.StartAsync();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private async Task<(FlowCrmObject? Mapping, long Version)> MappingAsync(string dealId)
    {
        var stored = await _harness.Store.Collection<FlowCrmObject>(FlowCrmObject.CollectionName).GetAsync(FlowOf(dealId).ToString("D"), TestContext.Current.CancellationToken);
        return (stored?.Value, stored?.Version ?? 0);
    }

    [Fact]
    public async Task A_won_deal_records_its_crm_deal_and_company()
    {
        await _harness.DeliverAsync(ErpRolloutWon("deal-9001"));

        var (mapping, _) = await MappingAsync("deal-9001");
        Assert.NotNull(mapping);
        Assert.Equal((Tenant, "hubspot", "deal-9001", "company-4711"), (mapping.TenantId, mapping.SourceSystem, mapping.ExternalDealId, mapping.CompanyExternalId));
        Assert.Equal(ServiceHarness.DefaultStart.UtcDateTime, mapping.Recorded);
    }

    [Fact]
    public async Task A_redelivered_deal_won_is_recorded_once()
    {
        var messageId = await _harness.DeliverAsync(ErpRolloutWon("deal-9001"));
        _harness.Time.Advance(TimeSpan.FromHours(1));

        await _harness.PublishAsync(ErpRolloutWon("deal-9001"), messageId);
        await _harness.ConsumedAsync<DealWon>(messageId, times: 2);

        var (mapping, version) = await MappingAsync("deal-9001");
        Assert.Equal((1L, ServiceHarness.DefaultStart.UtcDateTime), (version, mapping!.Recorded));
    }

    [Fact]
    public async Task A_deal_won_again_under_another_company_follows_the_new_company()
    {
        await _harness.DeliverAsync(ErpRolloutWon("deal-9001"));
        await _harness.DeliverAsync(ErpRolloutWon("deal-9001", Contoso("company-4712")));

        var (mapping, version) = await MappingAsync("deal-9001");
        Assert.Equal(("company-4712", 2L), (mapping!.CompanyExternalId, version));
    }

    [Fact]
    public async Task The_same_deal_won_again_unchanged_leaves_the_record_alone()
    {
        await _harness.DeliverAsync(ErpRolloutWon("deal-9001"));
        await _harness.DeliverAsync(ErpRolloutWon("deal-9001"));

        Assert.Equal(1L, (await MappingAsync("deal-9001")).Version);
    }
}
