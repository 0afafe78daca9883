using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using QuoteToCash.Contracts;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Telemetry;
using QuoteToCash.ServiceDefaults.Tests.Infrastructure;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.ServiceDefaults.Tests.Telemetry;

/// <summary>A step of a traced journey; <see cref="Then"/> is published by its consumer, through the consume's outbox.</summary>
public sealed record TracedStep : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string Key { get; init; }
    public string? Then { get; init; }
}

/// <summary>Notes the trace each step was consumed in.</summary>
public sealed class TracedStepConsumer : IConsumer<TracedStep>
{
    public static readonly ConcurrentDictionary<string, ActivityTraceId> Seen = new();

    public async Task Consume(ConsumeContext<TracedStep> context)
    {
        Seen[context.Message.Key] = Activity.Current?.TraceId ?? default;
        if (context.Message.Then is { } then)
            await context.Publish(context.Message with { Key = then, Then = null });
    }
}

/// <summary>
/// Every hop where a message waits in the store keeps the trace it was written in: the background hand-off after an HTTP
/// commit, the dispatcher after a crash, a consumer's outbox, and the scheduler (one-off jobs continue the trace,
/// recurring ones link to it). Real RabbitMQ; each test fails if its hop starts a new trace.
/// </summary>
public sealed class TracePropagationTests(RabbitMqBroker broker) : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private readonly SpanRecorder _spans = new();

    private Task<IHost> StartHostAsync(string file, TimeProvider? time = null) =>
        BusHost.StartAsync(broker, "q2c-tests-trace", _directory.File(file), x => x.AddConsumer<TracedStepConsumer>(),
            services =>
            {
                if (time is not null)
                    services.AddSingleton(time);
            });

    private static TracedStep Step(string key, string? then = null) =>
        new() { TenantId = "acme", FlowId = DeterministicId.Create("trace-test", key), Key = key, Then = then };

    private static string NewKey(string what) => what + "-" + Guid.NewGuid().ToString("N")[..8];

    private static async Task<ActivityTraceId> ConsumedIn(string key)
    {
        await Eventually(() => TracedStepConsumer.Seen.ContainsKey(key), TimeSpan.FromSeconds(20));
        return TracedStepConsumer.Seen[key];
    }

    /// <summary>Runs the work as a request would: inside a span of its own, after which nothing is current.</summary>
    private static async Task<ActivityTraceId> InRequestAsync(Func<Task> work)
    {
        Activity.Current = null;
        ActivityTraceId traceId;
        using (var request = SpanRecorder.TestSource.StartActivity("POST /webhooks", ActivityKind.Server))
        {
            Assert.NotNull(request);
            traceId = request.TraceId;
            await work();
        }
        Activity.Current = null;
        return traceId;
    }

    [Fact]
    public async Task A_message_a_request_committed_for_background_delivery_is_consumed_in_the_requests_trace_and_so_is_what_its_consumer_publishes()
    {
        using var host = await StartHostAsync("handoff.db");
        var (first, second) = (NewKey("handoff"), NewKey("handoff-next"));

        var traceId = await InRequestAsync(async () =>
        {
            using var scope = host.Services.CreateScope();
            var unitOfWork = scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
            unitOfWork.Publish(Step(first, then: second));
            await unitOfWork.CommitAndDeliverLaterAsync(TestContext.Current.CancellationToken);
        });

        Assert.Equal(traceId, await ConsumedIn(first));
        Assert.Equal(traceId, await ConsumedIn(second));
        // The consume's span carries the flow, so the trace can be found by the deal's flow ID.
        await Eventually(() => _spans.InTrace(traceId).Any(s => (string?)s.GetTagItem(PlatformTelemetry.FlowAttribute) == Step(first).FlowId.ToString("D")),
            TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_message_left_in_the_outbox_by_a_crash_is_delivered_by_the_dispatcher_in_the_writers_trace()
    {
        using var host = await StartHostAsync("dispatcher.db");
        var key = NewKey("crash");
        var delivery = host.Services.GetRequiredService<OutboxDelivery>();

        var traceId = await InRequestAsync(async () =>
        {
            var message = Step(key);
            var record = delivery.NewRecord(r =>
            {
                r.Kind = OutboxPayloadKind.Message;
                r.MessageType = typeof(TracedStep).AssemblyQualifiedName!;
                r.ContentType = "application/json";
                r.Body = JsonSerializer.Serialize(message, UnitOfWork.MessageJson);
                r.LeaseUntil = DateTime.UtcNow.AddSeconds(-1); // its writer died before delivering it
            });
            await host.Store().CommitAsync([DocumentWrite.Insert(OutboxRecord.CollectionName, record.Key, record)], TestContext.Current.CancellationToken);
        });

        Assert.Equal(traceId, await ConsumedIn(key));
    }

    [Fact]
    public async Task A_one_off_job_continues_the_trace_that_scheduled_it_and_a_recurring_one_starts_its_own_linked_to_it()
    {
        var clock = new FakeTimeProvider(Start);
        using var host = await StartHostAsync("scheduler.db", clock);
        var (once, recurring) = (NewKey("once"), NewKey("every"));

        var traceId = await InRequestAsync(async () =>
        {
            using var scope = host.Services.CreateScope();
            var unitOfWork = scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
            unitOfWork.Schedule("trace-once-" + once, Start.AddDays(30), Step(once));
            unitOfWork.Schedule("trace-every-" + recurring, Start.AddDays(30), Step(recurring), TimeSpan.FromDays(1));
            await unitOfWork.CommitAsync(TestContext.Current.CancellationToken);
        });

        clock.Advance(TimeSpan.FromDays(30));
        var scheduler = host.Services.GetServices<IHostedService>().OfType<JobSchedulerService>().Single();
        await scheduler.FireDueJobsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(traceId, await ConsumedIn(once));
        var recurringTrace = await ConsumedIn(recurring);
        Assert.NotEqual(traceId, recurringTrace);
        var fire = Assert.Single(_spans.InTrace(recurringTrace), s => s.OperationName == "scheduled job fire");
        Assert.Contains(fire.Links, l => l.Context.TraceId == traceId);
    }

    public void Dispose()
    {
        _spans.Dispose();
        _directory.Dispose();
    }
}
