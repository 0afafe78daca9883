using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.CrmIngest.Messages;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.CrmIngest.Consumers;
using QuoteToCash.CrmIngest.Extensions;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.CrmIngest.Infrastructure.HubSpot;
using QuoteToCash.CrmIngest.Infrastructure.Salesforce;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.CrmIngest.Tests.Integration;

/// <summary>
/// ProcessCrmEventConsumer against the Salesforce sandbox: Outbound Message notifications of Opportunities and
/// Accounts become DealWon / DealChanged / DealLost / CustomerChangedInCrm.
/// </summary>
[Collection(SalesforceSandboxCollection.Name)]
public sealed class SalesforceProcessingTests(SalesforceSandboxFixture fixture) : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "q2c-crm-sf-consumer-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly string _tenant = "tenant-" + Guid.NewGuid().ToString("N")[..8];
    private ServiceProvider _provider = null!;
    private LiteDbDocumentStore _store = null!;
    private ITestHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _store = new LiteDbDocumentStore(Path.Combine(_directory, "crm-ingest.db"));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IDocumentStore>(_store);
        services.AddScoped<IUnitOfWork, ImmediateUnitOfWork>();
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddCrmReaders();
        services.AddMassTransitTestHarness(x => x.AddConsumer<ProcessCrmEventConsumer>());
        _provider = services.BuildServiceProvider(validateScopes: true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
        _store.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task ConnectAsync(SalesforceClientTests.Org org)
    {
        var protector = _provider.GetRequiredService<IDataProtectionProvider>().CreateProtector(CrmConnection.ProtectorPurpose);
        await _store.CommitAsync([DocumentWrite.Insert(CrmConnection.CollectionName, _tenant, new CrmConnection
        {
            TenantId = _tenant,
            Kind = "salesforce",
            BaseUrl = org.InstanceUrl,
            ProtectedAccessToken = protector.Protect(org.Token),
            Connected = DateTime.UtcNow,
            Updated = DateTime.UtcNow,
        })]);
    }

    /// <summary>Stores a delivery, publishes its ProcessCrmEvent, waits until the consumer handled it and returns the delivery.</summary>
    private async Task<CrmDelivery> ProcessAsync(string objectType, string objectId)
    {
        var deliveryId = Guid.NewGuid().ToString("N");
        await _store.CommitAsync([DocumentWrite.Insert(CrmDelivery.CollectionName, deliveryId, new CrmDelivery
        {
            DeliveryId = deliveryId, TenantId = _tenant, Source = "salesforce-outbound", Received = DateTime.UtcNow, Events = 1, ObjectIds = [objectId],
        })]);
        await _harness.Bus.Publish(new ProcessCrmEvent
        {
            TenantId = _tenant,
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
        var deliveries = _store.Collection<CrmDelivery>(CrmDelivery.CollectionName);
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromMinutes(1); waited += TimeSpan.FromMilliseconds(50))
        {
            var fault = _harness.Published.Select<Fault<ProcessCrmEvent>>(cancel).FirstOrDefault(f => f.Context.Message.Message.DeliveryId == deliveryId);
            if (fault is not null)
                Assert.Fail("The consumer failed: " + string.Join(" | ", fault.Context.Message.Exceptions.Select(e => e.ExceptionType + ": " + e.Message)));
            if ((await deliveries.GetAsync(deliveryId, cancel))!.Value.Status != "Received")
                break;
            await Task.Delay(50, cancel);
        }
        return (await _store.Collection<CrmDelivery>(CrmDelivery.CollectionName).GetAsync(deliveryId, TestContext.Current.CancellationToken))!.Value;
    }

    /// <summary>The messages of one flow published so far, once at least <paramref name="atLeast"/> of them were seen (waiting up to 30 s).</summary>
    private async Task<List<T>> Published<T>(Guid flowId, int atLeast) where T : class, IFlowMessage
    {
        var cancel = TestContext.Current.CancellationToken;
        for (var waited = TimeSpan.Zero; ; waited += TimeSpan.FromMilliseconds(50))
        {
            var messages = _harness.Published.Select<T>(cancel).Select(m => m.Context.Message).Where(m => m.FlowId == flowId).ToList();
            if (messages.Count >= atLeast || waited >= TimeSpan.FromSeconds(30))
                return messages;
            await Task.Delay(50, cancel);
        }
    }

    [Fact]
    public async Task Opportunities_are_announced_once_when_won_changed_when_their_lines_change_and_lost_when_closed_lost()
    {
        var cancel = TestContext.Current.CancellationToken;
        var org = await SalesforceClientTests.NewOrgAsync(fixture, cancel);
        var client = SalesforceClientTests.Client();
        await ConnectAsync(org);
        var (_, opportunityId) = await SalesforceClientTests.SeedDealAsync(org, client, cancel);
        var flow = FlowId.For(_tenant, "salesforce", opportunityId);

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
        var changed = Assert.Single(await Published<CustomerChangedInCrm>(FlowId.For(_tenant, "salesforce", "company:" + accountId), 1));
        Assert.Equal(@"O'Brien \ Sons Ltd", changed.Customer.LegalName);
        Assert.Equal(2, changed.Customer.Contacts.Count);

        var task = await ProcessAsync("Task", "00TQ2000000A1bCIAS");
        Assert.Equal("Ignored", task.Status);

        await org.Rest.DeleteAsync($"sobjects/Opportunity/{opportunityId}", cancel);
        var deleted = await ProcessAsync("Opportunity", opportunityId);
        Assert.Equal("Ignored", deleted.Status);
        Assert.Contains("no longer exists", deleted.Error);
    }

    /// <summary>Applies every write at once; the consumer's publishes go straight to the test bus.</summary>
    private sealed class ImmediateUnitOfWork(IDocumentStore store) : IUnitOfWork
    {
        public IDocumentStore Store => store;

        public void Insert<T>(string collection, string id, T value) where T : class => Apply(DocumentWrite.Insert(collection, id, value));

        public void Replace<T>(string collection, StoredDocument<T> current, T value) where T : class =>
            Apply(DocumentWrite.Replace(collection, current.Id, value, current.Version));

        public void Upsert<T>(string collection, string id, T value) where T : class => Apply(DocumentWrite.Upsert(collection, id, value));

        public void Delete(string collection, string id, long? expectedVersion = null) => Apply(DocumentWrite.Delete(collection, id, expectedVersion));

        public void Publish<T>(T message) where T : class => throw new NotSupportedException("The consumer publishes through its ConsumeContext.");

        public void Schedule<T>(string jobId, DateTimeOffset dueAt, T message, TimeSpan? repeatEvery = null) where T : class => throw new NotSupportedException();

        public void CancelScheduled(string jobId, long? expectedVersion = null) => throw new NotSupportedException();

        public Task CommitAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task CommitAndDeliverLaterAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        private void Apply(DocumentWrite write) => store.CommitAsync([write]).GetAwaiter().GetResult();
    }
}
