using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using QuoteToCash.AccountingSync.Apis;
using QuoteToCash.AccountingSync.Infrastructure.Retention;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Tests.Retention;

public sealed class WebhookRetentionTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("q2c-qbo-retention-").FullName;
    private readonly LiteDbDocumentStore _store;

    public WebhookRetentionTests() => _store = new LiteDbDocumentStore(Path.Combine(_directory, "accounting-sync.db"));

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task DeliveryAsync(string id, int daysOld)
    {
        var received = Now.AddDays(-daysOld).UtcDateTime;
        await _store.CommitAsync(
        [
            DocumentWrite.Insert(QuickBooksWebhookApi.WebhookDelivery.CollectionName, id, new QuickBooksWebhookApi.WebhookDelivery { Id = id, Received = received, Body = "{}" }),
            DocumentWrite.Insert(QuickBooksWebhookApi.SeenEvent.CollectionName, "e-" + id, new QuickBooksWebhookApi.SeenEvent { DeliveryId = id, Received = received }),
        ], TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Deliveries_and_event_ids_older_than_their_retention_are_removed_in_batches_and_newer_ones_kept()
    {
        for (var i = 0; i < 12; i++)
            await DeliveryAsync($"old-{i}", 45);
        await DeliveryAsync("recent", 3);
        var worker = new WebhookRetentionWorker(_store, Options.Create(new WebhookRetentionOptions { BatchSize = 5 }), new FakeTimeProvider(Now),
            NullLogger<WebhookRetentionWorker>.Instance);

        Assert.Equal(24, await worker.SweepAsync(TestContext.Current.CancellationToken));

        var left = await _store.Collection<QuickBooksWebhookApi.WebhookDelivery>(QuickBooksWebhookApi.WebhookDelivery.CollectionName)
            .FindAsync(_ => true, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("recent", Assert.Single(left).Id);
        Assert.Equal(1, await _store.Collection<QuickBooksWebhookApi.SeenEvent>(QuickBooksWebhookApi.SeenEvent.CollectionName)
            .CountAsync(cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Event_ids_kept_for_less_than_Intuits_retries_are_refused()
    {
        var options = new WebhookRetentionOptions { WebhookEvents = TimeSpan.FromDays(1) };

        Assert.NotEmpty(options.Validate(new ValidationContext(options)));
        Assert.Empty(new WebhookRetentionOptions().Validate(new ValidationContext(options)));
    }
}
