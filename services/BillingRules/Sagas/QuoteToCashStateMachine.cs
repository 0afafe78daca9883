using MassTransit;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.Contracts.MasterData;

namespace QuoteToCash.BillingRules.Sagas;

/// <summary>
/// The quote-to-cash process per deal. This first stage takes a won deal to a billable customer;
/// contract, schedule, drafting, approval, posting and collection states follow in later releases.
/// Every event is handled or explicitly ignored in every state, so a re-delivered or late event never faults.
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
                .RecordDeal(time)
                .ResolveCustomer()
                .TransitionTo(AwaitingCustomer));

        During(AwaitingCustomer, CustomerOnHold,
            When(CustomerReady)
                .RecordCustomerReady(time)
                .TransitionTo(Contracting),
            When(CustomerNeedsReview)
                .RecordCustomerReview(time)
                .TransitionTo(CustomerOnHold));

        // The CRM announces a won deal again after a re-delivery or a re-win: counted, never a second flow.
        During(AwaitingCustomer, CustomerOnHold, Contracting, Cancelled,
            When(DealWon)
                .Then(c => c.Saga.RepeatedWins++)
                .Touch(time));

        During(AwaitingCustomer, CustomerOnHold, Contracting,
            When(DealLost)
                .Then(c => c.Saga.CancelledAt = time.GetUtcNow().UtcDateTime)
                .Touch(time)
                .TransitionTo(Cancelled));

        During(Contracting,
            Ignore(CustomerReady),
            Ignore(CustomerNeedsReview));

        // Cancelled is final: nothing leads out of it.
        During(Cancelled,
            Ignore(DealLost),
            Ignore(CustomerReady),
            Ignore(CustomerNeedsReview));
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
