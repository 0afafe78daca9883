using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.CrmIngest.Messages;
using QuoteToCash.CrmIngest.Tests.WriteBack;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.CrmIngest.Tests.Consumers;

/// <summary>
/// HubSpot events turned into deal events on the test harness, with crm-ingest's own store and inbox/outbox and its
/// HubSpot client reading the sandbox process. What counts is what is published and what the delivery records.
/// </summary>
[Collection(HubSpotPortalCollection.Name)]
public sealed class ProcessCrmEventConsumerTests(HubSpotPortalFixture sandbox) : IAsyncLifetime
{
    private ServiceHarness _harness = null!;
    private HubSpotPortal _portal = null!;
    private string _companyId = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await CrmIngestConsumerHarness.StartAsync();
        _portal = await sandbox.NewPortalAsync();
        await _harness.ConnectAsync(Tenant, _portal);
        _companyId = await _portal.CreateAsync("companies", new { name = "Contoso Logistics Ltd", domain = "contoso-logistics.test", city = "Leeds", country = "GB" });
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private async Task<string> DealAsync(string stage, string amount = "18500")
    {
        var dealId = await _portal.CreateAsync("deals", new { dealname = "Contoso ERP rollout, phase 1", dealstage = stage, pipeline = "default", amount, deal_currency_code = "GBP" });
        await SandboxCalls.OkAsync(sandbox.Client, HttpMethod.Put, $"/crm/v4/objects/deals/{dealId}/associations/default/companies/{_companyId}", _portal.ToolsToken);
        return dealId;
    }

    /// <summary>The webhook intake's part: the delivery is stored, then its event is handed to the consumer.</summary>
    private async Task<(Guid MessageId, ProcessCrmEvent Event)> ReceiveAsync(string objectType, string objectId, string deliveryId)
    {
        await _harness.Store.CommitAsync([DocumentWrite.Insert(CrmDelivery.CollectionName, deliveryId, new CrmDelivery
        {
            DeliveryId = deliveryId, TenantId = Tenant, Source = "hubspot", Received = _harness.Time.GetUtcNow().UtcDateTime,
            SignatureVerdict = "v3", Events = 1, ObjectIds = [objectId],
        })], TestContext.Current.CancellationToken);
        var evt = new ProcessCrmEvent
        {
            TenantId = Tenant, DeliveryId = deliveryId, Crm = "hubspot", EventIdentity = $"{_portal.PortalId}:{deliveryId}", ObjectType = objectType,
            ObjectId = objectId, Kind = objectType + ".propertyChange", OccurredAt = _harness.Time.GetUtcNow(),
        };
        return (await _harness.DeliverAsync(evt), evt);
    }

    private Task<CrmDelivery?> DeliveryAsync(string deliveryId) => CrmDeliveries.LoadAsync(_harness.Store, deliveryId, TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_deal_in_a_won_stage_is_announced_with_its_company_as_the_customer()
    {
        var dealId = await DealAsync("closedwon");

        await ReceiveAsync("deal", dealId, "delivery-1");

        var won = Assert.Single(_harness.Published<DealWon>());
        Assert.Equal((FlowOf(dealId), 18_500m, "GBP"), (won.FlowId, won.Amount, won.Currency));
        Assert.Equal((_companyId, "Contoso Logistics Ltd", "contoso-logistics.test"), (won.Customer.ExternalId, won.Customer.LegalName, won.Customer.Domain));
        var delivery = await DeliveryAsync("delivery-1");
        Assert.Equal("Processed", delivery!.Status);
        Assert.Equal([(nameof(DealWon), FlowOf(dealId))], delivery.Produced.Select(p => (p.Type, p.FlowId)));
    }

    [Fact]
    public async Task Events_of_one_delivery_processed_side_by_side_each_write_their_own_outcome_and_never_rewrite_the_delivery()
    {
        var deals = new[] { await DealAsync("closedwon"), await DealAsync("closedwon"), await DealAsync("closedwon") };
        await _harness.Store.CommitAsync([DocumentWrite.Insert(CrmDelivery.CollectionName, "delivery-3", new CrmDelivery
        {
            DeliveryId = "delivery-3", TenantId = Tenant, Source = "hubspot", Received = _harness.Time.GetUtcNow().UtcDateTime,
            SignatureVerdict = "v3", Events = deals.Length, ObjectIds = [.. deals],
        })], TestContext.Current.CancellationToken);

        await Task.WhenAll(deals.Select(dealId => _harness.DeliverAsync(new ProcessCrmEvent
        {
            TenantId = Tenant, DeliveryId = "delivery-3", Crm = "hubspot", EventIdentity = $"{_portal.PortalId}:delivery-3:{dealId}", ObjectType = "deal",
            ObjectId = dealId, Kind = "deal.propertyChange", OccurredAt = _harness.Time.GetUtcNow(),
        })));

        var record = await _harness.Store.Collection<CrmDelivery>(CrmDelivery.CollectionName).GetAsync("delivery-3", TestContext.Current.CancellationToken);
        Assert.Equal(1, record!.Version);
        var outcomes = await _harness.Store.Collection<CrmDeliveryOutcome>(CrmDeliveryOutcome.CollectionName)
            .FindAsync(o => o.DeliveryId == "delivery-3", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(3, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal((1L, "Processed"), (o.Version, o.Value.Status)));
        var delivery = await DeliveryAsync("delivery-3");
        Assert.Equal("Processed", delivery!.Status);
        Assert.Equal(deals.Select(FlowOf).Order(), delivery.Produced.Select(p => p.FlowId).Order());
    }

    [Fact]
    public async Task A_redelivered_event_announces_the_deal_once()
    {
        var dealId = await DealAsync("closedwon");
        var (messageId, evt) = await ReceiveAsync("deal", dealId, "delivery-1");

        await _harness.PublishAsync(evt, messageId);
        await _harness.ConsumedAsync<ProcessCrmEvent>(messageId, times: 2);

        Assert.Single(_harness.Published<DealWon>());
        Assert.Single((await DeliveryAsync("delivery-1"))!.Produced);
    }

    [Fact]
    public async Task Another_event_of_an_announced_deal_without_changes_announces_nothing_new()
    {
        var dealId = await DealAsync("closedwon");
        await ReceiveAsync("deal", dealId, "delivery-1");

        await ReceiveAsync("deal", dealId, "delivery-2");

        Assert.Single(_harness.Published<DealWon>());
        Assert.Empty(_harness.Published<DealChanged>());
        var second = await DeliveryAsync("delivery-2");
        Assert.Equal(("Ignored", "The deal was already announced with this content."), (second!.Status, second.Error));
    }

    [Fact]
    public async Task A_changed_amount_of_an_announced_deal_is_announced_as_an_expansion()
    {
        var dealId = await DealAsync("closedwon");
        await ReceiveAsync("deal", dealId, "delivery-1");
        await SandboxCalls.OkAsync(sandbox.Client, HttpMethod.Patch, $"/crm/v3/objects/deals/{dealId}", _portal.ToolsToken,
            new { properties = new { amount = "21000" } });

        await ReceiveAsync("deal", dealId, "delivery-2");

        var changed = Assert.Single(_harness.Published<DealChanged>());
        Assert.Equal((FlowOf(dealId), 21_000m, true), (changed.FlowId, changed.Amount, changed.IsExpansion));
        Assert.Single(_harness.Published<DealWon>());
    }

    [Fact]
    public async Task A_deal_in_a_lost_stage_is_announced_as_lost()
    {
        var dealId = await DealAsync("closedlost");

        await ReceiveAsync("deal", dealId, "delivery-1");

        Assert.Equal(FlowOf(dealId), Assert.Single(_harness.Published<DealLost>()).FlowId);
        Assert.Empty(_harness.Published<DealWon>());
    }

    [Fact]
    public async Task A_deal_in_an_open_stage_is_not_billed()
    {
        var dealId = await DealAsync("appointmentscheduled");

        await ReceiveAsync("deal", dealId, "delivery-1");

        Assert.Empty(_harness.Published<DealWon>());
        var delivery = await DeliveryAsync("delivery-1");
        Assert.Equal("Ignored", delivery!.Status);
        Assert.Contains("not a billing trigger", delivery.Error);
    }

    [Fact]
    public async Task A_company_change_is_announced_on_the_customer_s_own_flow()
    {
        await ReceiveAsync("company", _companyId, "delivery-1");

        var changed = Assert.Single(_harness.Published<CustomerChangedInCrm>());
        Assert.Equal((FlowOf("company:" + _companyId), "Contoso Logistics Ltd", "Leeds"),
            (changed.FlowId, changed.Customer.LegalName, changed.Customer.BillingAddress?.City));
    }
}
