using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.CrmIngest.Apis;
using QuoteToCash.CrmIngest.Consumers;
using QuoteToCash.CrmIngest.Domain;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.CrmIngest.Messages;
using QuoteToCash.CrmIngest.Tests.Apis;
using QuoteToCash.CrmIngest.Tests.WriteBack;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.CrmIngest.Tests.Consumers;

/// <summary>
/// Billing terms written on HubSpot deals (the tenant's deal properties, read from the sandbox process): a won deal
/// with billable terms is announced with them, one without is refused on its delivery while the others go through,
/// and fixing the terms in HubSpot lets the deal in.
/// </summary>
[Collection(HubSpotPortalCollection.Name)]
public sealed class HubSpotBillingTermsTests(HubSpotPortalFixture sandbox) : IAsyncLifetime
{
    private readonly RecordingLogger<ProcessCrmEventConsumer> _log = new();
    private ServiceHarness _harness = null!;
    private HubSpotPortal _portal = null!;
    private string _companyId = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await CrmIngestConsumerHarness.StartAsync(services => services.AddSingleton<ILogger<ProcessCrmEventConsumer>>(_log));
        _portal = await sandbox.NewPortalAsync();
        await _harness.ConnectAsync(Tenant, _portal);
        _companyId = await _portal.CreateAsync("companies", new { name = "Contoso Logistics Ltd", domain = "contoso-logistics.test", city = "Leeds", country = "GB" });
        foreach (var property in new[] { "q2c_billing_model", "q2c_billing_terms", "q2c_purchase_order", "harbour_terms", "q2c_segment" })
        {
            await SandboxCalls.OkAsync(sandbox.Client, HttpMethod.Post, "/crm/v3/properties/deals", _portal.ToolsToken,
                new { name = property, label = property, type = "string", fieldType = "textarea", groupName = "dealinformation" });
        }
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private static string Terms(object terms) => JsonSerializer.Serialize(terms, JsonSerializerOptions.Web);

    private static readonly string Milestones = Terms(new
    {
        milestones = new[] { new { id = "kickoff", name = "Kickoff", percent = 30 }, new { id = "design", name = "Design", percent = 30 }, new { id = "go-live", name = "Go-live", percent = 40 } },
    });

    private static readonly string MilestonesShortOfTheWhole = Terms(new
    {
        milestones = new[] { new { id = "kickoff", name = "Kickoff", percent = 30 }, new { id = "design", name = "Design", percent = 30 }, new { id = "go-live", name = "Go-live", percent = 30 } },
    });

    private async Task<string> WonDealAsync(string name, string amount, Dictionary<string, string> billing)
    {
        var properties = new Dictionary<string, string>(billing) { ["dealname"] = name, ["dealstage"] = "closedwon", ["pipeline"] = "default", ["amount"] = amount, ["deal_currency_code"] = "GBP" };
        var dealId = await _portal.CreateAsync("deals", properties);
        await SandboxCalls.OkAsync(sandbox.Client, HttpMethod.Put, $"/crm/v4/objects/deals/{dealId}/associations/default/companies/{_companyId}", _portal.ToolsToken);
        return dealId;
    }

    /// <summary>One webhook delivery reporting changes of these deals: stored, then each event handed to the consumer.</summary>
    private async Task<CrmDelivery> ReceiveAsync(string deliveryId, params string[] dealIds)
    {
        await _harness.Store.CommitAsync([DocumentWrite.Insert(CrmDelivery.CollectionName, deliveryId, new CrmDelivery
        {
            DeliveryId = deliveryId, TenantId = Tenant, Source = "hubspot", Received = _harness.Time.GetUtcNow().UtcDateTime, SignatureVerdict = "Valid",
            Events = dealIds.Length, ObjectIds = [.. dealIds],
        })], TestContext.Current.CancellationToken);
        foreach (var dealId in dealIds)
        {
            await _harness.DeliverAsync(new ProcessCrmEvent
            {
                TenantId = Tenant, DeliveryId = deliveryId, Crm = "hubspot", EventIdentity = $"{_portal.PortalId}:{deliveryId}:{dealId}", ObjectType = "deal",
                ObjectId = dealId, Kind = "deal.propertyChange", OccurredAt = _harness.Time.GetUtcNow(),
            });
        }
        return (await CrmDeliveries.LoadAsync(_harness.Store, deliveryId, TestContext.Current.CancellationToken))!;
    }

    [Fact]
    public async Task A_deal_with_terms_that_cannot_be_billed_is_refused_on_its_delivery_while_the_other_deal_goes_through()
    {
        var refusedId = await WonDealAsync("Contoso ERP rollout, phase 2", "18500", new() { ["q2c_billing_model"] = "Milestones", ["q2c_billing_terms"] = MilestonesShortOfTheWhole });
        var acceptedId = await WonDealAsync("Contoso ERP rollout, phase 1", "18500", new() { ["q2c_billing_model"] = "Milestones", ["q2c_billing_terms"] = Milestones, ["q2c_purchase_order"] = "PO-7781" });

        var delivery = await ReceiveAsync("delivery-1", refusedId, acceptedId);

        var won = Assert.Single(_harness.Published<DealWon>());
        Assert.Equal(FlowOf(acceptedId), won.FlowId);
        Assert.Equal((BillingModel.Milestones, "PO-7781"), (won.Billing!.Model, won.Billing.PurchaseOrder));
        Assert.Equal(["kickoff", "design", "go-live"], won.Billing.Milestones.Select(m => m.Id));
        Assert.Equal("Refused", delivery.Status);
        Assert.Equal([(nameof(DealWon), FlowOf(acceptedId))], delivery.Produced.Select(p => (p.Type, p.FlowId)));
        var refusal = Assert.Single(delivery.Refused);
        Assert.Equal((refusedId, FlowOf(refusedId)), (refusal.ObjectId, refusal.FlowId));
        Assert.StartsWith("billing.milestones: ", Assert.Single(refusal.Reasons));
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(refusedId) && e.Message.Contains("90 %"));

        // Operators see it through the deliveries API.
        var listed = await DeliveriesApi.ListDeliveries(Tenant, refusedId, null, null, null, _harness.Store, new Microsoft.AspNetCore.Http.DefaultHttpContext(), TestContext.Current.CancellationToken);
        var view = Assert.Single(Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.Ok<List<DeliveriesApi.DeliveryView>>>(listed.Result).Value!);
        Assert.Equal(("Refused", refusedId), (view.Status, Assert.Single(view.Refused).ObjectId));

        // The seller fixes the plan in HubSpot; the next change of the deal is taken in as usual.
        await SandboxCalls.OkAsync(sandbox.Client, HttpMethod.Patch, $"/crm/v3/objects/deals/{refusedId}", _portal.ToolsToken,
            new { properties = new { q2c_billing_terms = Milestones } });
        var fixedDelivery = await ReceiveAsync("delivery-2", refusedId);

        Assert.Equal("Processed", fixedDelivery.Status);
        Assert.Empty(fixedDelivery.Refused);
        Assert.Equal(new[] { FlowOf(acceptedId), FlowOf(refusedId) }.Order(), _harness.Published<DealWon>().Select(w => w.FlowId).Order());
    }

    [Fact]
    public async Task The_deal_s_segment_is_read_from_its_q2c_segment_property_and_a_deal_without_one_has_none()
    {
        var enterprise = await WonDealAsync("Contoso ERP rollout", "18500", new() { ["q2c_billing_model"] = "FixedFee", ["q2c_segment"] = "Enterprise" });
        var plain = await WonDealAsync("Contoso workshop", "2500", new() { ["q2c_billing_model"] = "FixedFee" });

        await ReceiveAsync("delivery-1", enterprise, plain);

        var won = _harness.Published<DealWon>().ToDictionary(w => w.ExternalDealId, w => w.Segment);
        Assert.Equal(("Enterprise", (string?)null), (won[enterprise], won[plain]));
    }

    [Fact]
    public async Task The_terms_are_read_from_the_property_the_tenant_configured_with_its_defaults_applied()
    {
        await _harness.PutBillingDefaultsAsync(IngestApiHarness.FirmDefaults with { HubSpotFields = new CrmFieldsInput { Terms = "harbour_terms" } });
        var dealId = await WonDealAsync("Contoso support", "12000", new()
        {
            ["harbour_terms"] = Terms(new { model = "Subscription", subscription = new { quantity = 25, unitPrice = 40, interval = "Monthly" } }),
            ["q2c_billing_terms"] = "not read: the tenant keeps its terms elsewhere",
        });

        var delivery = await ReceiveAsync("delivery-1", dealId);

        Assert.Equal("Processed", delivery.Status);
        var won = Assert.Single(_harness.Published<DealWon>());
        Assert.Equal((BillingModel.Subscription, 25m, 40m), (won.BillingModel, won.Billing!.Subscription!.Quantity, won.Billing.Subscription.UnitPrice));
        Assert.Equal((BillingPeriod.Biweekly, "Net 30"), (won.Billing.Period, won.PaymentTerms));
        Assert.Equal(["senior", "junior"], won.Billing.RateCard.Select(r => r.Role));
    }

    [Fact]
    public async Task More_seats_on_an_announced_subscription_are_announced_as_an_expansion_with_the_new_terms()
    {
        var dealId = await WonDealAsync("Contoso support", "12000", new()
        {
            ["q2c_billing_terms"] = Terms(new { model = "Subscription", subscription = new { quantity = 25, unitPrice = 40 } }),
        });
        await ReceiveAsync("delivery-1", dealId);

        await SandboxCalls.OkAsync(sandbox.Client, HttpMethod.Patch, $"/crm/v3/objects/deals/{dealId}", _portal.ToolsToken, new
        {
            properties = new { amount = "14400", q2c_billing_terms = Terms(new { model = "Subscription", subscription = new { quantity = 30, unitPrice = 40 } }) },
        });
        await ReceiveAsync("delivery-2", dealId);

        var changed = Assert.Single(_harness.Published<DealChanged>());
        Assert.Equal((FlowOf(dealId), 14_400m, true, 30m), (changed.FlowId, changed.Amount, changed.IsExpansion, changed.Billing!.Subscription!.Quantity));
        Assert.Single(_harness.Published<DealWon>());
    }
}
