using System.Net.Http.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QuoteToCash.CrmIngest.Messages;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.CrmIngest.Apis;
using QuoteToCash.CrmIngest.Extensions;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.CrmIngest.Infrastructure.Backfill;
using QuoteToCash.CrmIngest.Infrastructure.HubSpot;
using QuoteToCash.CrmIngest.Infrastructure.Salesforce;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.CrmIngest.Tests.Integration;

/// <summary>
/// A Salesforce backfill stopped after its first page resumes, in a new worker on the re-opened store, from the
/// committed cursor: every Account and Opportunity is announced exactly once, none skipped, none repeated.
/// </summary>
[Collection(SalesforceSandboxCollection.Name)]
public sealed class SalesforceBackfillResumeTests(SalesforceSandboxFixture fixture) : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "q2c-crm-sf-backfill-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly string _tenant = "tenant-" + Guid.NewGuid().ToString("N")[..8];
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    private string StorePath => Path.Combine(_directory, "crm-ingest.db");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddCrmReaders();
        services.AddMassTransitTestHarness(_ => { });
        _provider = services.BuildServiceProvider(validateScopes: true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private BackfillWorker Worker(IDocumentStore store) => new(
        store,
        new OutboxDelivery(store, _harness.Bus, Options.Create(new MessagingOptions()), TimeProvider.System, NullLogger<OutboxDelivery>.Instance),
        _provider.GetRequiredService<IServiceScopeFactory>(),
        _provider.GetRequiredService<IDataProtectionProvider>(),
        TimeProvider.System,
        NullLogger<BackfillWorker>.Instance);

    private static async Task<StoredDocument<BackfillJob>> JobAsync(IDocumentStore store, string tenant) =>
        (await store.Collection<BackfillJob>(BackfillJob.CollectionName).GetAsync(tenant, TestContext.Current.CancellationToken))!;

    private static async Task<System.Text.Json.Nodes.JsonArray> ReadArrayAsync(HttpResponseMessage response, CancellationToken cancel)
    {
        var text = await response.Content.ReadAsStringAsync(cancel);
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        return System.Text.Json.Nodes.JsonNode.Parse(text)!.AsArray();
    }

    [Fact]
    public async Task A_backfill_stopped_after_one_page_resumes_from_its_cursor_and_announces_every_record_exactly_once()
    {
        var cancel = TestContext.Current.CancellationToken;
        var org = await SalesforceClientTests.NewOrgAsync(fixture, cancel);
        // 205 accounts: a full keyset page of 200, then 5; then two opportunities.
        var accounts = new List<string>();
        foreach (var chunk in Enumerable.Range(0, 205).Chunk(200))
        {
            var created = await ReadArrayAsync(await org.Rest.PostAsJsonAsync("composite/sobjects", new
            {
                allOrNone = true,
                records = chunk.Select(i => new { attributes = new { type = "Account" }, Name = $"Backfill Account {i:D3}" }),
            }, cancel), cancel);
            accounts.AddRange(created.Select(r => r!["id"]!.GetValue<string>()));
        }
        var opportunities = new List<string>();
        for (var i = 0; i < 2; i++)
            opportunities.Add(await SalesforceClientTests.CreateAsync(org, "Opportunity",
                new { Name = $"Backfill opportunity {i}", AccountId = accounts[i], StageName = "Prospecting", CloseDate = "2026-12-31" }, cancel));

        using (var store = new LiteDbDocumentStore(StorePath))
        {
            var protector = _provider.GetRequiredService<IDataProtectionProvider>().CreateProtector(CrmConnection.ProtectorPurpose);
            await store.CommitAsync([
                DocumentWrite.Insert(CrmConnection.CollectionName, _tenant, new CrmConnection
                {
                    TenantId = _tenant, Kind = "salesforce", BaseUrl = org.InstanceUrl, ProtectedAccessToken = protector.Protect(org.Token),
                    Connected = DateTime.UtcNow, Updated = DateTime.UtcNow,
                }),
                DocumentWrite.Insert(BackfillJob.CollectionName, _tenant, new BackfillJob
                {
                    TenantId = _tenant, JobId = Guid.NewGuid(), Status = BackfillStatus.Running, Started = DateTime.UtcNow, Updated = DateTime.UtcNow,
                }),
            ], cancel);

            Assert.True(await Worker(store).AdvanceAsync(await JobAsync(store, _tenant), cancel));
            var afterOnePage = (await JobAsync(store, _tenant)).Value;
            Assert.Equal(207, afterOnePage.Total);
            Assert.Equal(200, afterOnePage.Processed);
            Assert.Equal("companies", afterOnePage.Phase);
            Assert.NotNull(afterOnePage.Cursor);
        }

        // "Restart": a new worker on the store opened again from its file.
        using (var reopened = new LiteDbDocumentStore(StorePath))
        {
            var worker = Worker(reopened);
            for (var pages = 0; pages < 10 && (await JobAsync(reopened, _tenant)).Value.Status == BackfillStatus.Running; pages++)
                await worker.AdvanceAsync(await JobAsync(reopened, _tenant), cancel);
            var finished = (await JobAsync(reopened, _tenant)).Value;
            Assert.Equal(BackfillStatus.Completed, finished.Status);
            Assert.Equal(207, finished.Processed);
            Assert.Equal(100m, BackfillApi.View(finished, DateTime.UtcNow).Percent);
        }

        List<ProcessCrmEvent> announced = [];
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(30) && announced.Count < 207; waited += TimeSpan.FromMilliseconds(100))
        {
            announced = _harness.Published.Select<ProcessCrmEvent>(cancel).Select(m => m.Context.Message).Where(m => m.TenantId == _tenant).ToList();
            await Task.Delay(100, cancel);
        }
        announced = _harness.Published.Select<ProcessCrmEvent>(cancel).Select(m => m.Context.Message).Where(m => m.TenantId == _tenant).ToList();
        Assert.Equal(accounts.Order(), announced.Where(e => e.ObjectType == "Account").Select(e => e.ObjectId).Order());
        Assert.Equal(opportunities.Order(), announced.Where(e => e.ObjectType == "Opportunity").Select(e => e.ObjectId).Order());
        Assert.Equal(207, announced.Select(e => e.EventIdentity).Distinct().Count());
    }
}
