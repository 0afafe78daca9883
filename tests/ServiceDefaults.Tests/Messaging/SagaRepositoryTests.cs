using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Tests.Infrastructure;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.ServiceDefaults.Tests.Messaging;

public sealed record TallyIncrement(Guid CorrelationId, int Sequence);

public sealed class TallyState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }
    public int Version { get; set; }
    public string CurrentState { get; set; } = string.Empty;
    public int Count { get; set; }
    public List<int> Sequences { get; set; } = [];
}

public sealed class TallyStateMachine : MassTransitStateMachine<TallyState>
{
    public TallyStateMachine()
    {
        InstanceState(x => x.CurrentState);
        Event(() => Increment, e => e.CorrelateById(m => m.Message.CorrelationId));
        Initially(When(Increment).Then(Add).TransitionTo(Counting));
        During(Counting, When(Increment).Then(Add));
    }

    public State Counting { get; private set; } = null!;

    public Event<TallyIncrement> Increment { get; private set; } = null!;

    private static void Add(BehaviorContext<TallyState, TallyIncrement> context)
    {
        context.Saga.Count++;
        context.Saga.Sequences.Add(context.Message.Sequence);
    }
}

/// <summary>The document-store saga repository under concurrent messages for one instance, on LiteDB and real RabbitMQ.</summary>
public sealed class SagaRepositoryTests(RabbitMqBroker broker) : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Concurrent_messages_for_one_saga_instance_are_all_applied_exactly_once()
    {
        using var host = await BusHost.StartAsync(broker, "q2c-tests-saga", _directory.File("saga.db"),
            x => x.AddSagaStateMachine<TallyStateMachine, TallyState>().Endpoint(e => e.ConcurrentMessageLimit = 16));
        var bus = host.Services.GetRequiredService<IBus>();
        var id = Guid.NewGuid();
        const int messages = 60;

        await Task.WhenAll(Enumerable.Range(1, messages).Select(i => bus.Publish(new TallyIncrement(id, i), TestContext.Current.CancellationToken)));

        var sagas = host.Store().Collection<TallyState>("saga-tally-state");
        var done = await Eventually(async () => (await sagas.GetAsync(id.ToString("D")))?.Value.Count >= messages, TimeSpan.FromSeconds(60));
        var saga = (await sagas.GetAsync(id.ToString("D"), TestContext.Current.CancellationToken))!;
        Assert.True(done, $"only {saga.Value.Count} of {messages} increments applied");
        await Task.Delay(500, TestContext.Current.CancellationToken);
        saga = (await sagas.GetAsync(id.ToString("D"), TestContext.Current.CancellationToken))!;
        Assert.Equal(messages, saga.Value.Count);
        Assert.Equal(Enumerable.Range(1, messages), saga.Value.Sequences.Order());
        Assert.Equal(messages, saga.Version);
        Assert.Equal("Counting", saga.Value.CurrentState);
    }

    [Fact]
    public async Task Saga_state_is_kept_in_the_store_across_a_restart()
    {
        var id = Guid.NewGuid();
        using (var first = await BusHost.StartAsync(broker, "q2c-tests-saga", _directory.File("restart.db"),
                   x => x.AddSagaStateMachine<TallyStateMachine, TallyState>()))
        {
            await first.Services.GetRequiredService<IBus>().Publish(new TallyIncrement(id, 1), TestContext.Current.CancellationToken);
            Assert.True(await Eventually(async () => await first.Store().Collection<TallyState>("saga-tally-state").GetAsync(id.ToString("D")) is not null));
            await first.StopAsync(TestContext.Current.CancellationToken);
        }

        using var second = await BusHost.StartAsync(broker, "q2c-tests-saga", _directory.File("restart.db"),
            x => x.AddSagaStateMachine<TallyStateMachine, TallyState>());
        await second.Services.GetRequiredService<IBus>().Publish(new TallyIncrement(id, 2), TestContext.Current.CancellationToken);

        var sagas = second.Store().Collection<TallyState>("saga-tally-state");
        Assert.True(await Eventually(async () => (await sagas.GetAsync(id.ToString("D")))?.Value.Count == 2));
        Assert.Equal([1, 2], (await sagas.GetAsync(id.ToString("D"), TestContext.Current.CancellationToken))!.Value.Sequences.Order());
    }

    public void Dispose() => _directory.Dispose();
}
