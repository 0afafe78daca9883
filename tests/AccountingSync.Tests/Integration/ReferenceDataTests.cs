using System.Collections.Concurrent;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.AccountingSync.Infrastructure.ReferenceData;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing;

namespace QuoteToCash.AccountingSync.Tests.Integration;

/// <summary>accounting-sync in-process on RabbitMQ: saving the QuickBooks connection publishes the company's lists and arms the recurring refresh.</summary>
[Collection(nameof(QuickBooksSandboxCollection))]
public sealed class ReferenceDataTests(QuickBooksSandboxFixture sandbox)
{
    private const string Tenant = QuickBooksSandboxFixture.Tenant;

    [Fact]
    public async Task Saving_the_connection_publishes_the_companys_lists_and_schedules_the_next_refresh()
    {
        sandbox.SkipIfUnavailable();
        var received = new ConcurrentQueue<AccountingReferenceDataChanged>();
        var bus = sandbox.Service.Services.GetRequiredService<IBus>();
        var observer = bus.ConnectReceiveEndpoint("acct-tests-reference-data-observer", e =>
            e.Handler<AccountingReferenceDataChanged>(context =>
            {
                received.Enqueue(context.Message);
                return Task.CompletedTask;
            }));
        await observer.Ready;
        try
        {
            var savedAt = DateTimeOffset.UtcNow;
            var consent = await sandbox.PostAsync($"/_sandbox/realms/{sandbox.RealmId}/connections",
                new { clientId = sandbox.PlatformApp.GetProperty("clientId").GetString(), redirectUri = "http://localhost/callback" });
            using var saved = await sandbox.Api.PutAsJsonAsync($"/api/accounting/{Tenant}/connection", new
            {
                environment = "sandbox",
                baseUrl = sandbox.Sandbox.BaseAddress!.ToString(),
                tokenUrl = new Uri(sandbox.Sandbox.BaseAddress!, "/oauth2/v1/tokens/bearer").ToString(),
                realmId = sandbox.RealmId,
                clientId = sandbox.PlatformApp.GetProperty("clientId").GetString(),
                clientSecret = sandbox.PlatformApp.GetProperty("clientSecret").GetString(),
                authorizationCode = consent.GetProperty("authorizationCode").GetString(),
                redirectUri = "http://localhost/callback",
            }, TestContext.Current.CancellationToken);
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

            Assert.True(await Polling.Eventually(() => received.Any(m => m.TenantId == Tenant && m.AsOf >= savedAt), TimeSpan.FromSeconds(30)),
                "no AccountingReferenceDataChanged arrived after the connection was saved");
            var lists = received.Last(m => m.TenantId == Tenant && m.AsOf >= savedAt);
            Assert.Equal(sandbox.RealmId, lists.RealmId);
            Assert.Contains(lists.Items, i => i.Name == "Consulting");
            Assert.Contains(lists.Terms, t => t.Name == "Net 30");
            Assert.Equal(["USD"], lists.Currencies);

            var store = sandbox.Service.Services.GetRequiredService<IDocumentStore>();
            var jobs = store.Collection<ScheduledJob>(ScheduledJob.CollectionName);
            ScheduledJob? job = null;
            await Polling.Eventually(async () =>
            {
                job = (await jobs.GetAsync(ReferenceDataOptions.RecurringJobId(Tenant), TestContext.Current.CancellationToken))?.Value;
                return job is { Fired: > 0 } && job.DueAt > savedAt.UtcDateTime.AddHours(5);
            }, TimeSpan.FromSeconds(10));
            Assert.NotNull(job);
            Assert.Equal(TimeSpan.FromHours(6), job.RepeatEvery);
            Assert.True(job.DueAt > DateTime.UtcNow.AddHours(5), $"the next refresh is due {job.DueAt:o}");
        }
        finally
        {
            await observer.StopAsync(TestContext.Current.CancellationToken);
        }
    }
}
