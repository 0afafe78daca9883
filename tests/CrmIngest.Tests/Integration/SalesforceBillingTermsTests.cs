using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.CrmIngest.Consumers;
using QuoteToCash.CrmIngest.Domain;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.CrmIngest.Messages;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.CrmIngest.Tests.Integration;

/// <summary>
/// Billing terms on Salesforce Opportunities (the Q2C_* fields, declared in the sandbox org as an admin would): an
/// Outbound Message reporting two won opportunities announces the one with billable terms and refuses the other on the
/// delivery; once the terms are fixed the refused one is announced.
/// </summary>
[Collection(SalesforceSandboxCollection.Name)]
public sealed class SalesforceBillingTermsTests(SalesforceSandboxFixture fixture) : IAsyncLifetime
{
    private CrmIngestHarness _crm = null!;

    private string Tenant => _crm.Tenant;

    private IDocumentStore Store => _crm.Provider.GetRequiredService<IDocumentStore>();

    public async ValueTask InitializeAsync() =>
        _crm = await CrmIngestHarness.StartAsync("sf-terms", (services, storePath) =>
        {
            services.AddSingleton(TimeProvider.System);
            services.AddSingleton<IDocumentStore>(_ => new LiteDbDocumentStore(storePath));
            services.AddScoped<IUnitOfWork>(sp => new TestUnitOfWork(sp.GetRequiredService<IDocumentStore>(), TestUnitOfWorkMode.WriteThrough));
        }, x => x.AddConsumer<ProcessCrmEventConsumer>());

    public ValueTask DisposeAsync() => _crm.DisposeAsync();

    /// <summary>Declares a text field on Opportunity through the Tooling API; declarations are sandbox-wide, so another test may have made it already.</summary>
    private static async Task DeclareAsync(SalesforceClientTests.Org org, string field, CancellationToken cancel)
    {
        using var response = await org.Rest.PostAsJsonAsync("tooling/sobjects/CustomField",
            new { FullName = "Opportunity." + field, Metadata = new { label = field, type = "Text", length = 255 } }, cancel);
        var body = await response.Content.ReadAsStringAsync(cancel);
        Assert.True(response.IsSuccessStatusCode || body.Contains("DUPLICATE_DEVELOPER_NAME", StringComparison.Ordinal), $"declaring {field}: {body}");
    }

    /// <summary>One Outbound Message reporting these opportunities: stored, each notification processed; returns the delivery once every one was handled.</summary>
    private async Task<CrmDelivery> ReceiveAsync(params string[] opportunityIds)
    {
        var cancel = TestContext.Current.CancellationToken;
        var deliveryId = Guid.NewGuid().ToString("N");
        await Store.CommitAsync([DocumentWrite.Insert(CrmDelivery.CollectionName, deliveryId, new CrmDelivery
        {
            DeliveryId = deliveryId, TenantId = Tenant, Source = "salesforce-outbound", Received = DateTime.UtcNow, Events = opportunityIds.Length, ObjectIds = [.. opportunityIds],
        })], cancel);
        foreach (var id in opportunityIds)
        {
            await _crm.Harness.Bus.Publish(new ProcessCrmEvent
            {
                TenantId = Tenant, DeliveryId = deliveryId, Crm = "salesforce", EventIdentity = $"salesforce:test:{deliveryId}:{id}", ObjectType = "Opportunity",
                ObjectId = id, Kind = "outbound-message", OccurredAt = DateTimeOffset.UtcNow,
            }, cancel);
        }
        await Eventually(async () =>
        {
            var fault = _crm.Harness.Published.Select<Fault<ProcessCrmEvent>>(cancel).FirstOrDefault(f => f.Context.Message.Message.DeliveryId == deliveryId);
            if (fault is not null)
                Assert.Fail("The consumer failed: " + string.Join(" | ", fault.Context.Message.Exceptions.Select(e => e.ExceptionType + ": " + e.Message)));
            var delivery = (await CrmDeliveries.LoadAsync(Store, deliveryId, cancel))!;
            return delivery.Produced.Count + delivery.Refused.Count >= opportunityIds.Length;
        }, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(50));
        return (await CrmDeliveries.LoadAsync(Store, deliveryId, cancel))!;
    }

    [Fact]
    public async Task A_won_opportunity_with_terms_that_cannot_be_billed_is_refused_and_taken_in_once_fixed()
    {
        var cancel = TestContext.Current.CancellationToken;
        var org = await SalesforceClientTests.NewOrgAsync(fixture, cancel);
        foreach (var field in new[] { "Q2C_Billing_Model__c", "Q2C_Billing_Terms__c", "Q2C_Purchase_Order__c" })
            await DeclareAsync(org, field, cancel);
        var client = SalesforceClientTests.Client();
        await Store.CommitAsync([_crm.SalesforceConnection(org)], cancel);
        var (_, splitFee) = await SalesforceClientTests.SeedDealAsync(org, client, cancel);
        var (_, retainer) = await SalesforceClientTests.SeedDealAsync(org, client, cancel);
        var halves = JsonSerializer.Serialize(new { instalments = new object[] { new { id = "1", percent = 50 }, new { id = "2", percent = 50, trigger = "OnCompletion" } } });
        await SalesforceClientTests.UpdateAsync(org, "Opportunity", splitFee,
            new { StageName = "Contract Signed", Q2C_Billing_Model__c = "Fixed fee", Q2C_Billing_Terms__c = halves, Q2C_Purchase_Order__c = "PO-7781" }, cancel);
        await SalesforceClientTests.UpdateAsync(org, "Opportunity", retainer,
            new { StageName = "Contract Signed", Q2C_Billing_Model__c = "Retainer", Q2C_Billing_Terms__c = """{"retainer":{"deposit":5000,"threshold":5000}}""" }, cancel);

        var delivery = await ReceiveAsync(retainer, splitFee);

        var won = Assert.Single(await _crm.PublishedAsync<DealWon>(w => w.TenantId == Tenant, 1));
        Assert.Equal(FlowId.For(Tenant, "salesforce", splitFee), won.FlowId);
        Assert.Equal((BillingModel.FixedFee, "PO-7781", "USD"), (won.Billing!.Model, won.Billing.PurchaseOrder, won.Billing.Currency));
        Assert.Equal([InstalmentTrigger.OnSigning, InstalmentTrigger.OnCompletion], won.Billing.Instalments.Select(i => i.Trigger));
        Assert.Equal("Refused", delivery.Status);
        var refusal = Assert.Single(delivery.Refused);
        Assert.Equal(retainer, refusal.ObjectId);
        Assert.StartsWith("billing.retainer.threshold: ", Assert.Single(refusal.Reasons));

        await SalesforceClientTests.UpdateAsync(org, "Opportunity", retainer, new { Q2C_Billing_Terms__c = """{"retainer":{"deposit":5000,"threshold":1000}}""" }, cancel);
        var again = await ReceiveAsync(retainer);

        Assert.Equal("Processed", again.Status);
        var retained = Assert.Single(await _crm.PublishedAsync<DealWon>(w => w.FlowId == FlowId.For(Tenant, "salesforce", retainer), 1));
        Assert.Equal((BillingModel.Retainer, 5_000m, 1_000m), (retained.BillingModel, retained.Billing!.Retainer!.Deposit, retained.Billing.Retainer.Threshold));
    }

    [Fact]
    public async Task The_terms_are_read_from_the_fields_the_tenant_configured()
    {
        var cancel = TestContext.Current.CancellationToken;
        var org = await SalesforceClientTests.NewOrgAsync(fixture, cancel);
        await DeclareAsync(org, "Harbour_Terms__c", cancel);
        await DeclareAsync(org, "Harbour_Terms_Of_Payment__c", cancel);
        var client = SalesforceClientTests.Client();
        var defaults = BillingDefaults.None with
        {
            Salesforce = CrmBillingFields.SalesforceDefaults with { Terms = "Harbour_Terms__c", PaymentTerms = "Harbour_Terms_Of_Payment__c" },
        };
        await Store.CommitAsync([_crm.SalesforceConnection(org),
            DocumentWrite.Insert(TenantBillingDefaults.CollectionName, Tenant, TenantBillingDefaults.From(Tenant, defaults, DateTime.UtcNow, "maria"))], cancel);
        var (_, opportunityId) = await SalesforceClientTests.SeedDealAsync(org, client, cancel);
        await SalesforceClientTests.UpdateAsync(org, "Opportunity", opportunityId, new
        {
            StageName = "Contract Signed",
            Harbour_Terms__c = """{"model":"TimeAndMaterials","rateCard":[{"role":"senior","rate":150}],"period":"Weekly"}""",
            Harbour_Terms_Of_Payment__c = "Net 15",
        }, cancel);

        var delivery = await ReceiveAsync(opportunityId);

        Assert.Equal("Processed", delivery.Status);
        var won = Assert.Single(await _crm.PublishedAsync<DealWon>(w => w.FlowId == FlowId.For(Tenant, "salesforce", opportunityId), 1));
        Assert.Equal((BillingModel.TimeAndMaterials, BillingPeriod.Weekly, "Net 15"), (won.BillingModel, won.Billing!.Period, won.PaymentTerms));
        Assert.Equal(("senior", 150m), (Assert.Single(won.Billing.RateCard).Role, won.Billing.RateCard[0].Rate));
    }
}
