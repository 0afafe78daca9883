using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.CrmIngest.Consumers;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.CrmIngest.Messages;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing;
using static QuoteToCash.CrmIngest.Tests.Integration.SalesforceIntakeSecurityTests;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.CrmIngest.Tests.Integration;

/// <summary>
/// Forged Outbound Messages against the Salesforce sandbox, intake and processing together: a forgery cannot keep a real
/// won opportunity from starting its flow, and a notification of a record Salesforce does not know costs one read and
/// ends as a recorded outcome, never a fault.
/// </summary>
[Collection(SalesforceSandboxCollection.Name)]
public sealed class SalesforceForgeryTests(SalesforceSandboxFixture fixture) : IAsyncLifetime
{
    private readonly RecordReads _reads = new();
    private CrmIngestHarness _crm = null!;

    private IDocumentStore Store => _crm.Provider.GetRequiredService<IDocumentStore>();

    private IDataProtectionProvider Protection => _crm.Provider.GetRequiredService<IDataProtectionProvider>();

    /// <summary>How many SOQL reads of one record (<c>… WHERE Id = '…'</c>) crm-ingest sent to Salesforce.</summary>
    private sealed class RecordReads
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Hit() => Interlocked.Increment(ref _count);
    }

    public async ValueTask InitializeAsync() =>
        _crm = await CrmIngestHarness.StartAsync("sf-forgery", (services, storePath) =>
        {
            services.AddSingleton(TimeProvider.System);
            services.AddSingleton<IDocumentStore>(_ => new LiteDbDocumentStore(storePath));
            services.AddScoped<IUnitOfWork>(sp => new TestUnitOfWork(sp.GetRequiredService<IDocumentStore>(), TestUnitOfWorkMode.WriteThrough));
            services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler(() => new CountingHandler(_reads)));
        }, x => x.AddConsumer<ProcessCrmEventConsumer>());

    public ValueTask DisposeAsync() => _crm.DisposeAsync();

    /// <summary>One handler instance per client pipeline, all counting into the test's counter.</summary>
    private sealed class CountingHandler(RecordReads reads) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Uri.UnescapeDataString(request.RequestUri?.Query ?? "").Contains("WHERE Id = ", StringComparison.Ordinal))
                reads.Hit();
            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>
    /// Hands what the intake published to the consumer, as the outbox would, one event at a time (events of one delivery
    /// processed at once race on the delivery record, which the service's retry absorbs and the test harness has not),
    /// and fails as soon as one of them faults.
    /// </summary>
    private async Task ProcessAsync(IEnumerable<object> published)
    {
        var cancel = TestContext.Current.CancellationToken;
        foreach (var evt in published.OfType<ProcessCrmEvent>())
        {
            await _crm.Harness.Bus.Publish(evt, cancel);
            Assert.True(await Eventually(() =>
            {
                if (_crm.Harness.Published.Select<Fault<ProcessCrmEvent>>(cancel).FirstOrDefault(f => f.Context.Message.Message.EventIdentity == evt.EventIdentity) is { } fault)
                    Assert.Fail($"Processing {evt.ObjectId} failed, so it would have been retried and landed in _error: "
                                + string.Join(" | ", fault.Context.Message.Exceptions.Select(e => e.ExceptionType + ": " + e.Message)));
                return _crm.Harness.Consumed.Select<ProcessCrmEvent>(cancel).Any(c => c.Context.Message.EventIdentity == evt.EventIdentity && c.Exception is null);
            }, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(50)), $"{evt.ObjectId} was not processed within a minute.");
        }
    }

    [Fact]
    public async Task A_forged_notification_with_the_next_ids_does_not_stop_the_real_one_from_starting_a_flow()
    {
        var cancel = TestContext.Current.CancellationToken;
        var org = await SalesforceClientTests.NewOrgAsync(fixture, cancel);
        var (_, opportunityId) = await SalesforceClientTests.SeedDealAsync(org, SalesforceClientTests.Client(), cancel);
        // The intake checks the OrganizationId against the connection; processing reads through the connection's token.
        const string organization = Organization;
        var url = await ConnectAsync(Store, Protection, _crm.Tenant, org.InstanceUrl, accessToken: org.Token);
        var path = $"/webhooks/salesforce/{_crm.Tenant}";

        // The attacker knows the tenant, the OrganizationId and the next notification IDs, but not the endpoint token.
        var nextIds = new[] { "04l5g00000AbCdEAAV", "04l5g00000AbCdFAAV", "04l5g00000AbCdGAAV" };
        foreach (var id in nextIds)
        {
            var forged = await PostAsync(Store, Protection, path, Envelope(organization, Notification(id, "006000000000001AAA")));
            Assert.Equal(401, forged.Status);
        }
        // Even one who had the token could only pre-register other records or changes, never this one's change.
        var insider = await PostAsync(Store, Protection, url, Envelope(organization, nextIds.Select(id => Notification(id, "006000000000001AAA")).ToArray()));
        Assert.Equal(200, insider.Status);

        await SalesforceClientTests.UpdateAsync(org, "Opportunity", opportunityId, new { StageName = "Contract Signed" }, cancel);
        var real = await PostAsync(Store, Protection, url, Envelope(organization, Notification(nextIds[0], opportunityId, "2026-03-01T10:00:00.000Z")));
        Assert.Equal(200, real.Status);
        Assert.Contains("<Ack>true</Ack>", real.Body);
        Assert.Equal(opportunityId, Assert.IsType<ProcessCrmEvent>(Assert.Single(real.Published)).ObjectId);

        await ProcessAsync(real.Published);
        var won = Assert.Single(await _crm.PublishedAsync<DealWon>(w => w.FlowId == FlowId.For(_crm.Tenant, "salesforce", opportunityId), 1));
        Assert.Equal(opportunityId, won.ExternalDealId);
    }

    [Fact]
    public async Task Five_unknown_records_cost_at_most_five_reads_and_end_as_recorded_outcomes_not_faults()
    {
        var cancel = TestContext.Current.CancellationToken;
        var org = await SalesforceClientTests.NewOrgAsync(fixture, cancel);
        const string organization = Organization;
        var url = await ConnectAsync(Store, Protection, _crm.Tenant, org.InstanceUrl, accessToken: org.Token);
        // Well-formed IDs the org never issued: two with a valid checksum, three whose checksum Salesforce refuses.
        string[] unknown = ["006000000000001AAA", "006000000000002AAA", "006000000000003ZZZ", "006FORGED000004ZZZ", "006FORGED000005ZZZ"];

        var accepted = await PostAsync(Store, Protection, url,
            Envelope(organization, unknown.Select((id, i) => Notification($"04l5g00000AbCd{i}AAV", id)).ToArray()));
        Assert.Equal(200, accepted.Status);
        Assert.Equal(5, accepted.Published.Count);
        await ProcessAsync(accepted.Published);

        Assert.InRange(_reads.Count, 1, 5);
        Assert.Empty(_crm.Harness.Published.Select<Fault<ProcessCrmEvent>>(cancel));
        var delivery = (await CrmDeliveries.LoadAsync(Store, Assert.Single(await Store.Collection<CrmDelivery>(CrmDelivery.CollectionName).FindAsync(_ => true, cancellationToken: cancel)).Id, cancel))!;
        Assert.Equal("Ignored", delivery.Status);
        Assert.Contains("does not exist", delivery.Error);
        Assert.Empty(delivery.Produced);
    }
}
