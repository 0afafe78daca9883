using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.CrmIngest.Messages;
using QuoteToCash.CrmIngest.Consumers;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.CrmIngest.Tests.Integration;

/// <summary>
/// ProcessCrmEventConsumer against the Salesforce sandbox: Outbound Message notifications of Opportunities and
/// Accounts become DealWon / DealChanged / DealLost / CustomerChangedInCrm.
/// </summary>
[Collection(SalesforceSandboxCollection.Name)]
public sealed class SalesforceProcessingTests(SalesforceSandboxFixture fixture) : IAsyncLifetime
{
    private CrmIngestHarness _crm = null!;

    private string Tenant => _crm.Tenant;

    private IDocumentStore Store => _crm.Provider.GetRequiredService<IDocumentStore>();

    public async ValueTask InitializeAsync() =>
        _crm = await CrmIngestHarness.StartAsync("sf-consumer", (services, storePath) =>
        {
            services.AddSingleton(TimeProvider.System);
            services.AddSingleton<IDocumentStore>(_ => new LiteDbDocumentStore(storePath));
            // The consumer reads its own writes back within one message; its publishes go straight to the test bus.
            services.AddScoped<IUnitOfWork>(sp => new TestUnitOfWork(sp.GetRequiredService<IDocumentStore>(), TestUnitOfWorkMode.WriteThrough));
        }, x => x.AddConsumer<ProcessCrmEventConsumer>());

    public ValueTask DisposeAsync() => _crm.DisposeAsync();

    private Task ConnectAsync(SalesforceClientTests.Org org) => Store.CommitAsync([_crm.SalesforceConnection(org)]);

    /// <summary>Stores a delivery, publishes its ProcessCrmEvent, waits until the consumer handled it and returns the delivery.</summary>
    private async Task<CrmDelivery> ProcessAsync(string objectType, string objectId)
    {
        var deliveryId = Guid.NewGuid().ToString("N");
        await Store.CommitAsync([DocumentWrite.Insert(CrmDelivery.CollectionName, deliveryId, new CrmDelivery
        {
            DeliveryId = deliveryId, TenantId = Tenant, Source = "salesforce-outbound", Received = DateTime.UtcNow, Events = 1, ObjectIds = [objectId],
        })]);
        await _crm.Harness.Bus.Publish(new ProcessCrmEvent
        {
            TenantId = Tenant,
            DeliveryId = deliveryId,
            Crm = "salesforce",
            EventIdentity = "salesforce:test:" + deliveryId,
            ObjectType = objectType,
            ObjectId = objectId,
            Kind = "outbound-message",
            OccurredAt = DateTimeOffset.UtcNow,
        }, TestContext.Current.CancellationToken);
        // Wait (up to a minute) until the consumer has updated the delivery, or failed.
        var cancel = TestContext.Current.CancellationToken;
        await Eventually(async () =>
        {
            var fault = _crm.Harness.Published.Select<Fault<ProcessCrmEvent>>(cancel).FirstOrDefault(f => f.Context.Message.Message.DeliveryId == deliveryId);
            if (fault is not null)
                Assert.Fail("The consumer failed: " + string.Join(" | ", fault.Context.Message.Exceptions.Select(e => e.ExceptionType + ": " + e.Message)));
            return (await CrmDeliveries.LoadAsync(Store, deliveryId, cancel))!.Status != "Received";
        }, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(50));
        return (await CrmDeliveries.LoadAsync(Store, deliveryId, cancel))!;
    }

    /// <summary>The messages of one flow published so far, once at least <paramref name="atLeast"/> of them were seen (waiting up to 30 s).</summary>
    private Task<List<T>> Published<T>(Guid flowId, int atLeast) where T : class, IFlowMessage =>
        _crm.PublishedAsync<T>(m => m.FlowId == flowId, atLeast);

    [Fact]
    public async Task Opportunities_are_announced_once_when_won_changed_when_their_lines_change_and_lost_when_closed_lost()
    {
        var cancel = TestContext.Current.CancellationToken;
        var org = await SalesforceClientTests.NewOrgAsync(fixture, cancel);
        var client = SalesforceClientTests.Client();
        await ConnectAsync(org);
        var (_, opportunityId) = await SalesforceClientTests.SeedDealAsync(org, client, cancel);
        var flow = FlowId.For(Tenant, "salesforce", opportunityId);

        var open = await ProcessAsync("Opportunity", opportunityId);
        Assert.Equal("Ignored", open.Status);
        Assert.Empty(await Published<DealWon>(flow, 0));

        await SalesforceClientTests.UpdateAsync(org, "Opportunity", opportunityId, new { StageName = "Contract Signed" }, cancel);
        var signed = await ProcessAsync("Opportunity", opportunityId);
        Assert.Equal("Processed", signed.Status);
        Assert.Equal(nameof(DealWon), Assert.Single(signed.Produced).Type);
        var won = Assert.Single(await Published<DealWon>(flow, 1));
        Assert.Equal(opportunityId, won.ExternalDealId);
        Assert.Equal(12000m, won.Amount);
        Assert.Equal(@"O'Brien \ Sons Ltd", won.Customer.LegalName);
        Assert.Equal(2, won.Lines.Count);

        // The same state again (an Outbound Message is delivered at least once): nothing new.
        var again = await ProcessAsync("Opportunity", opportunityId);
        Assert.Equal("Ignored", again.Status);
        Assert.Single(await Published<DealWon>(flow, 1));

        // A line item added to the won opportunity: DealChanged, as an expansion.
        var entries = await client.QueryAsync(org.InstanceUrl, org.Token, "SELECT Id FROM PricebookEntry WHERE ProductCode = 'SUPPORT-12M'", cancel);
        await SalesforceClientTests.CreateAsync(org, "OpportunityLineItem",
            new { OpportunityId = opportunityId, PricebookEntryId = Assert.Single(entries).Id, Quantity = 1, UnitPrice = 12000 }, cancel);
        var expanded = await ProcessAsync("Opportunity", opportunityId);
        Assert.Equal("Processed", expanded.Status);
        var changed = Assert.Single(await Published<DealChanged>(flow, 1));
        Assert.Equal(24000m, changed.Amount);
        Assert.True(changed.IsExpansion);
        Assert.Equal(3, changed.Lines.Count);
        Assert.Single(await Published<DealWon>(flow, 1));

        await SalesforceClientTests.UpdateAsync(org, "Opportunity", opportunityId, new { StageName = "Closed Lost" }, cancel);
        var lost = await ProcessAsync("Opportunity", opportunityId);
        Assert.Equal("Processed", lost.Status);
        Assert.Equal(opportunityId, Assert.Single(await Published<DealLost>(flow, 1)).ExternalDealId);
    }

    [Fact]
    public async Task Account_notifications_become_customer_changes_and_unknown_objects_are_ignored()
    {
        var cancel = TestContext.Current.CancellationToken;
        var org = await SalesforceClientTests.NewOrgAsync(fixture, cancel);
        var client = SalesforceClientTests.Client();
        await ConnectAsync(org);
        var (accountId, opportunityId) = await SalesforceClientTests.SeedDealAsync(org, client, cancel);

        var delivery = await ProcessAsync("Account", accountId);
        Assert.Equal("Processed", delivery.Status);
        var changed = Assert.Single(await Published<CustomerChangedInCrm>(FlowId.For(Tenant, "salesforce", "company:" + accountId), 1));
        Assert.Equal(@"O'Brien \ Sons Ltd", changed.Customer.LegalName);
        Assert.Equal(2, changed.Customer.Contacts.Count);

        var task = await ProcessAsync("Task", "00TQ2000000A1bCIAS");
        Assert.Equal("Ignored", task.Status);

        await org.Rest.DeleteAsync($"sobjects/Opportunity/{opportunityId}", cancel);
        var deleted = await ProcessAsync("Opportunity", opportunityId);
        Assert.Equal("Ignored", deleted.Status);
        Assert.Contains("no longer exists", deleted.Error);
    }
}
