using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.BillingRules.Domain;
using QuoteToCash.BillingRules.Extensions;
using QuoteToCash.BillingRules.Sagas;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.BillingRules.Tests.Sagas;

/// <summary>billing-rules on the test harness, with what saga tests keep asking: the stored flow, its state, its scheduled jobs.</summary>
public sealed class FlowHarness : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private FlowHarness(ServiceHarness harness) => Harness = harness;

    public ServiceHarness Harness { get; }

    public static async Task<FlowHarness> StartAsync(bool withDefaultItem = true)
    {
        var harness = await ServiceHarness.StartAsync(x => x.AddBillingRulesHandlers(), cancellationToken: TestContext.Current.CancellationToken);
        var flows = new FlowHarness(harness);
        if (withDefaultItem)
            await flows.MapDefaultItemAsync();
        return flows;
    }

    public ISagaStateMachineTestHarness<QuoteToCashStateMachine, QuoteToCashState> Saga =>
        Harness.Bus.GetSagaStateMachineHarness<QuoteToCashStateMachine, QuoteToCashState>();

    /// <summary>Master data's default item for the tenant: "Services", ID 1.</summary>
    public Task MapDefaultItemAsync() => Harness.DeliverAsync(new ItemMappingChanged
    {
        TenantId = Tenant, ProductKey = "*", ProductName = "Services", ItemRef = "1", ChangedAt = ServiceHarness.DefaultStart.AddDays(-30),
    });

    public async Task<QuoteToCashState> FlowAsync(Guid flowId)
    {
        var collection = Harness.Services.GetRequiredService<SagaCollection<QuoteToCashState>>();
        return await Harness.GetAsync<QuoteToCashState>(collection.Name, flowId.ToString("D"))
               ?? throw new InvalidOperationException($"Flow {flowId} is not stored.");
    }

    public async Task InStateAsync(Guid flowId, FlowStage stage)
    {
        if (await Saga.Exists(flowId, x => x.StateOf(stage)) is null)
            Assert.Fail($"Flow is in {(await FlowAsync(flowId)).CurrentState}, not {stage}.");
    }

    public async Task<ScheduledJob?> JobAsync(string jobId) => await Harness.GetAsync<ScheduledJob>(ScheduledJob.CollectionName, jobId);

    /// <summary>Moves the clock to the job's due time and delivers its message, as the scheduler would.</summary>
    public async Task<T> FireAsync<T>(string jobId) where T : class
    {
        var job = await JobAsync(jobId) ?? throw new InvalidOperationException($"No scheduled job {jobId}.");
        if (Harness.Time.GetUtcNow() < job.DueAt)
            Harness.Time.SetUtcNow(new DateTimeOffset(job.DueAt, TimeSpan.Zero));
        var message = JsonSerializer.Deserialize<T>(job.Body, Json)!;
        await Harness.DeliverAsync(message);
        return message;
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> messages of the type were published (an API's command travels
    /// through the outbox and the bus before the saga answers it), then returns them all.
    /// </summary>
    public async Task<IReadOnlyList<T>> PublishedAsync<T>(int count = 1) where T : class
    {
        Assert.True(await Testing.Polling.Eventually(() => Harness.Published<T>().Count >= count, TimeSpan.FromSeconds(15)),
            $"expected {count} {typeof(T).Name} message(s), saw {Harness.Published<T>().Count}");
        await Harness.SettleAsync();
        return Harness.Published<T>();
    }

    /// <summary>Waits until the stored flow satisfies the condition, then returns it.</summary>
    public async Task<QuoteToCashState> FlowWhenAsync(Guid flowId, Func<QuoteToCashState, bool> condition)
    {
        QuoteToCashState? flow = null;
        Assert.True(await Testing.Polling.Eventually(async () => condition(flow = await FlowAsync(flowId)), TimeSpan.FromSeconds(15)),
            "the flow never reached the expected condition");
        return flow!;
    }

    public ValueTask DisposeAsync() => Harness.DisposeAsync();
}
