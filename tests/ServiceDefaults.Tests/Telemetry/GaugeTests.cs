using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Telemetry;
using QuoteToCash.ServiceDefaults.Tests.Infrastructure;
using RabbitMQ.Client;

namespace QuoteToCash.ServiceDefaults.Tests.Telemetry;

/// <summary>The sampled gauges report what is waiting: in the store (outbox, due jobs) and on the broker (queue depths).</summary>
public sealed class GaugeTests(RabbitMqBroker broker) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private readonly ServiceProvider _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private IMeterFactory Meters => _metrics.GetRequiredService<IMeterFactory>();

    /// <summary>What an exporter would read from this test's gauge now, per label value ("" when unlabelled).</summary>
    private Dictionary<string, double> Observe(string meterName, string instrument)
    {
        var values = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            // Hosts of tests running alongside have gauges of the same name: only this test's meter factory counts.
            if (i.Meter.Scope == Meters && i.Meter.Name == meterName && i.Name == instrument)
                l.EnableMeasurementEvents(i);
        };
        void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            values[tags.Length == 0 ? "" : tags[0].Value?.ToString() ?? ""] = value;
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Record(value, tags));
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) => Record(value, tags));
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }

    [Fact]
    public async Task The_outbox_gauge_reports_messages_waiting_for_the_broker_the_oldest_ones_age_and_jobs_past_due()
    {
        using var store = new LiteDbDocumentStore(_directory.File("backlog.db"));
        var clock = new FakeTimeProvider(Now);
        var delivery = new OutboxDelivery(store, null!, Options.Create(new MessagingOptions()), clock, NullLogger<OutboxDelivery>.Instance);
        var gauge = new OutboxBacklogGauge(store, clock, Meters);
        var ct = TestContext.Current.CancellationToken;

        await gauge.SampleAsync(ct);
        Assert.Equal(0, Observe(OutboxBacklogGauge.MeterName, "q2c.outbox.backlog")[""]);

        foreach (var i in Enumerable.Range(0, 3))
        {
            var record = delivery.NewRecord(r => r.MessageType = "Message" + i);
            await store.CommitAsync([DocumentWrite.Insert(OutboxRecord.CollectionName, record.Key, record)], ct);
            clock.Advance(TimeSpan.FromSeconds(10));
        }
        await store.CommitAsync([
            DocumentWrite.Insert(ScheduledJob.CollectionName, "due", new ScheduledJob { JobId = "due", DueAt = Now.UtcDateTime }),
            DocumentWrite.Insert(ScheduledJob.CollectionName, "later", new ScheduledJob { JobId = "later", DueAt = Now.UtcDateTime.AddDays(1) }),
        ], ct);
        await gauge.SampleAsync(ct);

        Assert.Equal(3, Observe(OutboxBacklogGauge.MeterName, "q2c.outbox.backlog")[""]);
        Assert.Equal(30, Observe(OutboxBacklogGauge.MeterName, "q2c.outbox.oldest_age")[""]);
        Assert.Equal(1, Observe(OutboxBacklogGauge.MeterName, "q2c.scheduler.due")[""]);
    }

    [Fact]
    public async Task The_queue_gauge_reads_each_watched_queues_depth_from_the_broker_and_skips_queues_that_do_not_exist()
    {
        broker.SkipIfUnavailable();
        var ct = TestContext.Current.CancellationToken;
        var queue = "q2c-tests-depth-" + Guid.NewGuid().ToString("N")[..8];
        var factory = new ConnectionFactory { Uri = new Uri(broker.Uri!) };
        await using (var connection = await factory.CreateConnectionAsync(ct))
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: ct))
        {
            await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false, cancellationToken: ct);
            foreach (var body in new[] { "a", "b", "c" })
                await channel.BasicPublishAsync(string.Empty, queue, System.Text.Encoding.UTF8.GetBytes(body), ct);
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["RABBITMQ_URI"] = broker.Uri }).Build();
        await using var gauge = new QueueDepthGauge(configuration, Options.Create(new TelemetryOptions { ErrorQueueEvery = 1 }), Meters);
        gauge.Watch("q2c-tests-no-such-queue-" + Guid.NewGuid().ToString("N")[..8]);
        gauge.Watch(queue);
        try
        {
            await gauge.SampleAsync(ct);
            await gauge.SampleAsync(ct); // a missing queue closes the channel; the next pass opens another

            Assert.Equal((3u, 0u), gauge.Depth(queue));
            Assert.Null(gauge.Depth(queue + "_error"));
            var depths = Observe(QueueDepthGauge.MeterName, "q2c.rabbitmq.queue.messages");
            Assert.Equal(3, depths[queue]);
            Assert.DoesNotContain(depths.Keys, k => k.StartsWith("q2c-tests-no-such-queue", StringComparison.Ordinal));
        }
        finally
        {
            await using var connection = await factory.CreateConnectionAsync(ct);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            await channel.QueueDeleteAsync(queue, cancellationToken: ct);
        }
    }

    [Fact]
    public async Task The_queue_gauge_watches_the_queues_the_service_consumes_from()
    {
        using var host = await BusHost.StartAsync(broker, "q2c-tests-depth", _directory.File("depth.db"), x => x.AddConsumer<TracedStepConsumer>());
        var gauge = host.Services.GetRequiredService<QueueDepthGauge>();

        Assert.Contains(gauge.Queues, q => q.StartsWith("q2c-tests-depth", StringComparison.Ordinal));
        await gauge.SampleAsync(TestContext.Current.CancellationToken);
        var watched = gauge.Queues.First(q => q.StartsWith("q2c-tests-depth", StringComparison.Ordinal));
        Assert.True(gauge.Depth(watched)?.Consumers >= 1);
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _directory.Dispose();
    }
}
