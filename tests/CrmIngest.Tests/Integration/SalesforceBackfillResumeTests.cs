using System.Net.Http.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.CrmIngest.Messages;
using QuoteToCash.CrmIngest.Apis;
using QuoteToCash.CrmIngest.Infrastructure.Backfill;
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
    private CrmIngestHarness _crm = null!;

    public async ValueTask InitializeAsync() => _crm = await CrmIngestHarness.StartAsync("sf-backfill");

    public ValueTask DisposeAsync() => _crm.DisposeAsync();

    private BackfillWorker Worker(IDocumentStore store) => new(
        store,
        new OutboxDelivery(store, _crm.Harness.Bus, Options.Create(new MessagingOptions()), TimeProvider.System, NullLogger<OutboxDelivery>.Instance),
        _crm.Provider.GetRequiredService<IServiceScopeFactory>(),
        _crm.Provider.GetRequiredService<IDataProtectionProvider>(),
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

        using (var store = new LiteDbDocumentStore(_crm.StorePath))
        {
            await store.CommitAsync([
                _crm.SalesforceConnection(org),
                DocumentWrite.Insert(BackfillJob.CollectionName, _crm.Tenant, new BackfillJob
                {
                    TenantId = _crm.Tenant, JobId = Guid.NewGuid(), Status = BackfillStatus.Running, Started = DateTime.UtcNow, Updated = DateTime.UtcNow,
                }),
            ], cancel);

            Assert.True(await Worker(store).AdvanceAsync(await JobAsync(store, _crm.Tenant), cancel));
            var afterOnePage = (await JobAsync(store, _crm.Tenant)).Value;
            Assert.Equal(207, afterOnePage.Total);
            Assert.Equal(200, afterOnePage.Processed);
            Assert.Equal("companies", afterOnePage.Phase);
            Assert.NotNull(afterOnePage.Cursor);
        }

        // "Restart": a new worker on the store opened again from its file.
        using (var reopened = new LiteDbDocumentStore(_crm.StorePath))
        {
            var worker = Worker(reopened);
            for (var pages = 0; pages < 10 && (await JobAsync(reopened, _crm.Tenant)).Value.Status == BackfillStatus.Running; pages++)
                await worker.AdvanceAsync(await JobAsync(reopened, _crm.Tenant), cancel);
            var finished = (await JobAsync(reopened, _crm.Tenant)).Value;
            Assert.Equal(BackfillStatus.Completed, finished.Status);
            Assert.Equal(207, finished.Processed);
            Assert.Equal(100m, BackfillApi.View(finished, DateTime.UtcNow).Percent);
        }

        await _crm.PublishedAsync<ProcessCrmEvent>(m => m.TenantId == _crm.Tenant, 207);
        await Task.Delay(100, cancel); // room for a repeated announcement to show up
        var announced = await _crm.PublishedAsync<ProcessCrmEvent>(m => m.TenantId == _crm.Tenant, 0);
        Assert.Equal(accounts.Order(), announced.Where(e => e.ObjectType == "Account").Select(e => e.ObjectId).Order());
        Assert.Equal(opportunities.Order(), announced.Where(e => e.ObjectType == "Opportunity").Select(e => e.ObjectId).Order());
        Assert.Equal(207, announced.Select(e => e.EventIdentity).Distinct().Count());
    }
}
