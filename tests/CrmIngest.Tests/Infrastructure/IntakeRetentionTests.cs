using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.CrmIngest.Infrastructure.Retention;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.CrmIngest.Tests.Infrastructure;

public sealed class IntakeRetentionTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private readonly TemporaryStore _temporary = new();
    private readonly FakeTimeProvider _clock = new(Now);

    public void Dispose() => _temporary.Dispose();

    private IDocumentStore Store => _temporary.Store;

    private async Task DeliveryAsync(string id, TimeSpan age)
    {
        var received = (Now - age).UtcDateTime;
        await Store.CommitAsync(
        [
            DocumentWrite.Insert(CrmDelivery.CollectionName, id, new CrmDelivery { DeliveryId = id, TenantId = "acme", Source = "hubspot", Received = received, ReceivedTicks = received.Ticks }),
            DocumentWrite.Insert(CrmDeliveryBody.CollectionName, id, new CrmDeliveryBody { DeliveryId = id, TenantId = "acme", Received = received, Body = "[]" }),
            DocumentWrite.Insert(CrmDeliveryOutcome.CollectionName, id + "-e1", new CrmDeliveryOutcome { DeliveryId = id, TenantId = "acme", EventIdentity = "e1", Status = "Processed", Processed = received }),
            DocumentWrite.Insert(SeenCrmEvent.CollectionName, "seen-" + id, new SeenCrmEvent { DeliveryId = id, Received = received }),
            DocumentWrite.Insert(GenericEventSeen.CollectionName, "generic-" + id, new GenericEventSeen { Kind = "won", FlowId = Guid.NewGuid(), Received = received }),
        ], TestContext.Current.CancellationToken);
    }

    private IntakeRetentionWorker Worker(IntakeRetentionOptions? options = null) =>
        new(Store, Options.Create(options ?? new IntakeRetentionOptions { BatchSize = 7 }), _clock, NullLogger<IntakeRetentionWorker>.Instance);

    private Task<long> CountAsync<T>(string collection) where T : class => Store.Collection<T>(collection).CountAsync(cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public async Task Bodies_go_after_30_days_records_after_90_and_event_identities_after_30_by_default_in_batches()
    {
        await CrmDeliveries.EnsureIndexesAsync(Store, TestContext.Current.CancellationToken);
        for (var i = 0; i < 20; i++)
            await DeliveryAsync($"old-{i}", TimeSpan.FromDays(120));
        await DeliveryAsync("sixty", TimeSpan.FromDays(60));
        await DeliveryAsync("fresh", TimeSpan.FromDays(2));

        var removed = await Worker().SweepAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, await CountAsync<CrmDeliveryBody>(CrmDeliveryBody.CollectionName)); // only the fresh body
        Assert.Equal(2, await CountAsync<CrmDelivery>(CrmDelivery.CollectionName)); // sixty and fresh
        Assert.Equal(2, await CountAsync<CrmDeliveryOutcome>(CrmDeliveryOutcome.CollectionName));
        Assert.Equal(1, await CountAsync<SeenCrmEvent>(SeenCrmEvent.CollectionName));
        Assert.Equal(1, await CountAsync<GenericEventSeen>(GenericEventSeen.CollectionName));
        Assert.Equal(21 + 20 + 20 + 21 + 21, removed);
        Assert.NotNull(await Store.Collection<CrmDelivery>(CrmDelivery.CollectionName).GetAsync("sixty", TestContext.Current.CancellationToken));
        Assert.Equal(0, await Worker().SweepAsync(TestContext.Current.CancellationToken)); // nothing left to remove
    }

    [Fact]
    public async Task Retention_follows_the_configured_periods()
    {
        await DeliveryAsync("ten-days", TimeSpan.FromDays(10));

        await Worker(new IntakeRetentionOptions { DeliveryBodies = TimeSpan.FromDays(7), Deliveries = TimeSpan.FromDays(9), SeenEvents = TimeSpan.FromDays(5) })
            .SweepAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, await CountAsync<CrmDelivery>(CrmDelivery.CollectionName));
        Assert.Equal(0, await CountAsync<SeenCrmEvent>(SeenCrmEvent.CollectionName));
        Assert.Equal(1, await CountAsync<GenericEventSeen>(GenericEventSeen.CollectionName)); // 30 days by default
    }

    [Theory]
    [InlineData(3, 30, 90)] // identities forgotten before HubSpot stops retrying
    [InlineData(30, 60, 30)] // records kept shorter than their bodies
    public void Settings_that_would_take_a_retry_in_twice_or_lose_records_before_bodies_are_refused(int seenDays, int bodyDays, int deliveryDays)
    {
        var options = new IntakeRetentionOptions
        {
            SeenEvents = TimeSpan.FromDays(seenDays), DeliveryBodies = TimeSpan.FromDays(bodyDays), Deliveries = TimeSpan.FromDays(deliveryDays),
        };

        Assert.NotEmpty(options.Validate(new ValidationContext(options)));
        Assert.Empty(new IntakeRetentionOptions().Validate(new ValidationContext(options)));
    }
}
