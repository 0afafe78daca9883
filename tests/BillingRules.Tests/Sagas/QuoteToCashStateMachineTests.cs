using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.BillingRules.Extensions;
using QuoteToCash.BillingRules.Sagas;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.BillingRules.Tests.Sagas;

/// <summary>
/// Every transition of the quote-to-cash saga on MassTransit's test harness, with the service's own saga repository
/// and inbox/outbox on a LiteDB store and a fake clock. Re-delivered and out-of-order events are among them.
/// </summary>
public sealed class QuoteToCashStateMachineTests : IAsyncLifetime
{
    private static readonly Guid ContosoId = Guid.Parse("6a0f3c1e-0d5b-4c55-9a3e-8b1f2d7c4e90");
    private readonly Guid _flowId = FlowOf("deal-9001");
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync() =>
        _harness = await ServiceHarness.StartAsync(x => x.AddBillingRulesHandlers(), cancellationToken: TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private ISagaStateMachineTestHarness<QuoteToCashStateMachine, QuoteToCashState> Saga =>
        _harness.Bus.GetSagaStateMachineHarness<QuoteToCashStateMachine, QuoteToCashState>();

    private async Task<QuoteToCashState> Flow()
    {
        var collection = _harness.Services.GetRequiredService<SagaCollection<QuoteToCashState>>();
        return await _harness.GetAsync<QuoteToCashState>(collection.Name, _flowId.ToString("D"))
               ?? throw new InvalidOperationException($"Flow {_flowId} is not stored.");
    }

    private async Task InState(Func<QuoteToCashStateMachine, State> state) =>
        Assert.NotNull(await Saga.Exists(_flowId, state));

    private async Task WonAndAwaitingCustomer()
    {
        await _harness.DeliverAsync(ErpRolloutWon());
        await InState(x => x.AwaitingCustomer);
    }

    private async Task OnHold()
    {
        await WonAndAwaitingCustomer();
        await _harness.DeliverAsync(ContosoNeedsReview(_flowId, ContosoId));
        await InState(x => x.CustomerOnHold);
    }

    private async Task Contracting()
    {
        await WonAndAwaitingCustomer();
        await _harness.DeliverAsync(ContosoReady(_flowId, ContosoId));
        await InState(x => x.Contracting);
    }

    private async Task Cancelled()
    {
        await WonAndAwaitingCustomer();
        await _harness.DeliverAsync(ErpRolloutLost());
        await InState(x => x.Cancelled);
    }

    [Fact]
    public async Task A_won_deal_starts_a_flow_that_asks_master_data_for_its_customer()
    {
        await WonAndAwaitingCustomer();

        var flow = await Flow();
        Assert.Equal((Tenant, Crm, "deal-9001", "Contoso ERP rollout, phase 1"), (flow.TenantId, flow.SourceSystem, flow.ExternalDealId, flow.DealName));
        Assert.Equal((18_500m, "GBP", nameof(BillingModel.FixedFee)), (flow.Amount, flow.Currency, flow.BillingModel));
        Assert.Equal(new DateTime(2026, 3, 2, 8, 30, 0, DateTimeKind.Utc), flow.WonAt);
        Assert.Equal(ServiceHarness.DefaultStart.UtcDateTime, flow.Updated);

        var resolve = Assert.Single(_harness.Published<ResolveCustomer>());
        Assert.Equal((_flowId, Tenant, Crm, "company-4711"), (resolve.FlowId, resolve.TenantId, resolve.SourceSystem, resolve.Customer.ExternalId));
    }

    [Fact]
    public async Task A_ready_customer_takes_the_flow_to_contracting()
    {
        await WonAndAwaitingCustomer();
        _harness.Time.Advance(TimeSpan.FromSeconds(3));

        await _harness.DeliverAsync(ContosoReady(_flowId, ContosoId));

        await InState(x => x.Contracting);
        var flow = await Flow();
        Assert.Equal((ContosoId, "Contoso Logistics Ltd"), (flow.CustomerId, flow.CustomerDisplayName));
        Assert.Equal(ServiceHarness.DefaultStart.UtcDateTime.AddSeconds(3), flow.CustomerReadyAt);
        Assert.Equal(flow.CustomerReadyAt, flow.Updated);
    }

    [Fact]
    public async Task A_customer_that_needs_review_holds_the_flow_with_the_reasons()
    {
        await WonAndAwaitingCustomer();

        await _harness.DeliverAsync(ContosoNeedsReview(_flowId, ContosoId));

        await InState(x => x.CustomerOnHold);
        var flow = await Flow();
        Assert.Equal(["missing billing address street", "missing billing contact email"], flow.CustomerReviewReasons);
        Assert.Equal(ContosoId, flow.CustomerId);
        Assert.Null(flow.CustomerReadyAt);
    }

    [Fact]
    public async Task A_held_flow_is_released_when_the_customer_is_ready_and_its_reasons_are_cleared()
    {
        await OnHold();

        await _harness.DeliverAsync(ContosoReady(_flowId, ContosoId));

        await InState(x => x.Contracting);
        Assert.Empty((await Flow()).CustomerReviewReasons);
    }

    [Fact]
    public async Task A_held_flow_stays_held_with_the_latest_reasons_when_reviewed_again()
    {
        await OnHold();

        await _harness.DeliverAsync(ContosoNeedsReview(_flowId, ContosoId) with { Reasons = ["missing billing contact email"] });

        await InState(x => x.CustomerOnHold);
        Assert.Equal(["missing billing contact email"], (await Flow()).CustomerReviewReasons);
    }

    [Fact]
    public async Task A_redelivered_won_deal_is_applied_once()
    {
        var messageId = await _harness.PublishAsync(ErpRolloutWon());
        await _harness.PublishAsync(ErpRolloutWon(), messageId);
        await _harness.ConsumedAsync<Contracts.CrmIngest.DealWon>(messageId, times: 2);

        var flow = await Flow();
        Assert.Equal(0, flow.RepeatedWins);
        Assert.Single(_harness.Published<ResolveCustomer>());
    }

    [Theory]
    [InlineData("AwaitingCustomer")]
    [InlineData("CustomerOnHold")]
    [InlineData("Contracting")]
    [InlineData("Cancelled")]
    public async Task The_same_deal_announced_again_is_counted_on_the_same_flow_and_changes_nothing_else(string state)
    {
        await Reach(state);
        _harness.Time.Advance(TimeSpan.FromMinutes(5));

        await _harness.DeliverAsync(ErpRolloutWon());

        await InState(x => x.GetState(state));
        var flow = await Flow();
        Assert.Equal(1, flow.RepeatedWins);
        Assert.Equal(ServiceHarness.DefaultStart.UtcDateTime.AddMinutes(5), flow.Updated);
        Assert.Single(_harness.Published<ResolveCustomer>());
    }

    [Theory]
    [InlineData("AwaitingCustomer")]
    [InlineData("CustomerOnHold")]
    [InlineData("Contracting")]
    public async Task A_lost_deal_cancels_the_flow(string state)
    {
        await Reach(state);
        _harness.Time.Advance(TimeSpan.FromHours(1));

        await _harness.DeliverAsync(ErpRolloutLost());

        await InState(x => x.Cancelled);
        var flow = await Flow();
        Assert.Equal(ServiceHarness.DefaultStart.UtcDateTime.AddHours(1), flow.CancelledAt);
        Assert.Equal(flow.CancelledAt, flow.Updated);
    }

    [Fact]
    public async Task Nothing_leads_out_of_cancelled()
    {
        await Cancelled();
        var cancelled = await Flow();

        await _harness.DeliverAsync(ContosoReady(_flowId, ContosoId));
        await _harness.DeliverAsync(ContosoNeedsReview(_flowId, ContosoId));
        await _harness.DeliverAsync(ErpRolloutLost());

        await InState(x => x.Cancelled);
        var flow = await Flow();
        Assert.Equal((cancelled.CancelledAt, cancelled.Updated, cancelled.CustomerId), (flow.CancelledAt, flow.Updated, flow.CustomerId));
    }

    [Fact]
    public async Task A_late_customer_answer_in_contracting_is_ignored()
    {
        await Contracting();
        var before = await Flow();

        await _harness.DeliverAsync(ContosoNeedsReview(_flowId, ContosoId));
        await _harness.DeliverAsync(ContosoReady(_flowId, ContosoId) with { DisplayName = "Contoso (renamed)" });

        await InState(x => x.Contracting);
        var flow = await Flow();
        Assert.Equal((before.CustomerDisplayName, before.CustomerReadyAt), (flow.CustomerDisplayName, flow.CustomerReadyAt));
        Assert.Empty(flow.CustomerReviewReasons);
    }

    [Fact]
    public async Task A_customer_answer_or_a_loss_before_the_deal_was_won_starts_no_flow()
    {
        await _harness.DeliverAsync(ContosoReady(_flowId, ContosoId));
        await _harness.DeliverAsync(ErpRolloutLost());

        var collection = _harness.Services.GetRequiredService<SagaCollection<QuoteToCashState>>();
        Assert.Null(await _harness.GetAsync<QuoteToCashState>(collection.Name, _flowId.ToString("D")));

        await WonAndAwaitingCustomer();
    }

    private Task Reach(string state) => state switch
    {
        "AwaitingCustomer" => WonAndAwaitingCustomer(),
        "CustomerOnHold" => OnHold(),
        "Contracting" => Contracting(),
        "Cancelled" => Cancelled(),
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };
}
