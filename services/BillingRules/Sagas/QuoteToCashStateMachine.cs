using MassTransit;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.Contracts.MasterData;

namespace QuoteToCash.BillingRules.Sagas;

/// <summary>
/// The quote-to-cash process per deal. This first stage takes a won deal to a billable customer;
/// contract, schedule, drafting, approval, posting and collection states follow in later releases.
/// </summary>
public sealed class QuoteToCashStateMachine : MassTransitStateMachine<QuoteToCashState>
{
    public QuoteToCashStateMachine(TimeProvider time)
    {
        InstanceState(x => x.CurrentState);

        Event(() => DealWon, e => e.CorrelateById(m => m.Message.FlowId));
        // A lost deal that never reached billing, or a customer answer for a flow that no longer exists, is nothing to act on.
        Event(() => DealLost, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => CustomerReady, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => CustomerNeedsReview, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });

        Initially(
            When(DealWon)
                .Then(c => c.RecordDeal(time))
                .Publish(c => new ResolveCustomer
                {
                    TenantId = c.Message.TenantId,
                    FlowId = c.Message.FlowId,
                    SourceSystem = c.Message.SourceSystem,
                    Customer = c.Message.Customer,
                })
                .TransitionTo(AwaitingCustomer));

        During(AwaitingCustomer, CustomerOnHold,
            When(CustomerReady)
                .Then(c =>
                {
                    c.Saga.CustomerId = c.Message.CustomerId;
                    c.Saga.CustomerDisplayName = c.Message.DisplayName;
                    c.Saga.CustomerReviewReasons.Clear();
                    c.Saga.CustomerReadyAt = time.GetUtcNow().UtcDateTime;
                    c.Saga.Updated = c.Saga.CustomerReadyAt.Value;
                })
                .TransitionTo(Contracting),
            When(CustomerNeedsReview)
                .Then(c =>
                {
                    c.Saga.CustomerId = c.Message.CustomerId;
                    c.Saga.CustomerReviewReasons = c.Message.Reasons.ToList();
                    c.Saga.Updated = time.GetUtcNow().UtcDateTime;
                })
                .TransitionTo(CustomerOnHold));

        During(AwaitingCustomer, CustomerOnHold, Contracting, Cancelled,
            When(DealWon).Then(c =>
            {
                c.Saga.RepeatedWins++;
                c.Saga.Updated = time.GetUtcNow().UtcDateTime;
            }));

        During(AwaitingCustomer, CustomerOnHold, Contracting,
            When(DealLost)
                .Then(c => c.Saga.CancelledAt = c.Saga.Updated = time.GetUtcNow().UtcDateTime)
                .TransitionTo(Cancelled));

        During(Contracting, Ignore(CustomerReady), Ignore(CustomerNeedsReview));
    }

    public State AwaitingCustomer { get; private set; } = null!;
    public State CustomerOnHold { get; private set; } = null!;
    public State Contracting { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;

    public Event<DealWon> DealWon { get; private set; } = null!;
    public Event<DealLost> DealLost { get; private set; } = null!;
    public Event<CustomerReady> CustomerReady { get; private set; } = null!;
    public Event<CustomerNeedsReview> CustomerNeedsReview { get; private set; } = null!;
}

internal static class QuoteToCashBinders
{
    public static void RecordDeal(this BehaviorContext<QuoteToCashState, DealWon> context, TimeProvider time)
    {
        var deal = context.Message;
        var saga = context.Saga;
        saga.TenantId = deal.TenantId;
        saga.SourceSystem = deal.SourceSystem;
        saga.ExternalDealId = deal.ExternalDealId;
        saga.DealName = deal.DealName;
        saga.CustomerExternalId = deal.Customer.ExternalId;
        saga.Currency = deal.Currency;
        saga.Amount = deal.Amount;
        saga.BillingModel = deal.BillingModel.ToString();
        saga.WonAt = deal.WonAt.UtcDateTime;
        saga.Updated = time.GetUtcNow().UtcDateTime;
    }
}

public sealed class QuoteToCashStateDefinition : SagaDefinition<QuoteToCashState>
{
    public QuoteToCashStateDefinition() => ConcurrentMessageLimit = 16;
}
