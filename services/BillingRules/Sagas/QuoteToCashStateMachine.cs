using MassTransit;
using QuoteToCash.BillingRules.Domain;
using QuoteToCash.BillingRules.Messages;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.Contracts.MasterData;

namespace QuoteToCash.BillingRules.Sagas;

/// <summary>
/// The quote-to-cash process of one deal: won → customer ready → contract active → invoices scheduled → drafted →
/// awaiting approval (when needed) → posting → posted → sent → partially paid / paid / overdue → closed, plus cancelled
/// and one held state per reason. Each event records what it says (in the contract, on an invoice), then
/// <see cref="QuoteToCashBinders.Settle{T}"/> drafts and posts what is due and moves the flow to the stage its facts
/// say. Every event is handled or explicitly ignored in every state, so a re-delivered or late event never faults.
/// The saga announces what others act on from the facts it keeps, once per change: <c>InvoiceStatusChanged</c> (the
/// CRM's view of each invoice), <c>FlowHoldChanged</c> (the exception queue), <c>InvoiceLatenessChanged</c> (the
/// customer's standing), <c>SendInvoice</c> and <c>PostTimeActivity</c> (QuickBooks). It does not consume
/// <c>InvoiceStatusChanged</c>, which it publishes; QuickBooks-side voids arrive as <c>InvoiceVoided</c>.
/// </summary>
public sealed class QuoteToCashStateMachine : MassTransitStateMachine<QuoteToCashState>
{
    public QuoteToCashStateMachine(TimeProvider time)
    {
        InstanceState(x => x.CurrentState);

        Event(() => DealWon, e => e.CorrelateById(m => m.Message.FlowId));
        // Milestones and time may overtake their deal: they open the flow and wait for it.
        Event(() => MilestoneReached, e => e.CorrelateById(m => m.Message.FlowId));
        Event(() => TimeEntryLogged, e => e.CorrelateById(m => m.Message.FlowId));
        // Anything else about a flow that does not exist is nothing to act on.
        Event(() => DealLost, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => DealChanged, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => DealReopened, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => CustomerReady, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => CustomerNeedsReview, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => InvoicePosted, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => InvoicePostingFailed, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => InvoiceSent, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => PaymentReceived, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => PaymentReversed, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => InvoiceVoided, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => InvoicePastDue30, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => RetryFlow, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => TimeActivityPosted, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => AdvanceContract, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => ApprovalDecided, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => ApprovalSlaElapsed, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => InvoiceDueDatePassed, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => RetryHeldFlow, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => RequestAdjustment, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => AdjustmentDecided, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => CreditMemoPosted, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => RefundIssued, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => AdjustmentFailed, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => AddManualCharge, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });
        Event(() => CheckFlowProgress, e => { e.CorrelateById(m => m.Message.FlowId); e.OnMissingInstance(m => m.Discard()); });

        var waitingForCustomer = new[] { AwaitingCustomer, CustomerOnHold };
        var held = new[] { HeldForMapping, HeldForClosedBooks, HeldForPostingFailure, HeldForCurrency, HeldReopened, HeldAfterLoss };
        var running = new[] { ContractActive, InvoicesScheduled, Drafted, AwaitingApproval, Posting, Posted, Sent, PartiallyPaid, Overdue, Paid, Closed };
        var dealKnown = waitingForCustomer.Concat(held).Concat(running).ToArray();

        Initially(
            When(DealWon)
                .RecordDeal(time)
                .StartContract(time)
                .ResolveCustomer()
                .Settle(),
            When(MilestoneReached)
                .KeepEarly(time)
                .Settle(),
            When(TimeEntryLogged)
                .KeepEarly(time)
                .Settle());

        During(AwaitingDeal,
            When(DealWon)
                .RecordDeal(time)
                .StartContract(time)
                .ResolveCustomer()
                .Settle(),
            When(MilestoneReached).KeepEarly(time),
            When(TimeEntryLogged).KeepEarly(time),
            When(CheckFlowProgress).DetectStuck(time),
            Ignore(DealLost), Ignore(DealChanged), Ignore(DealReopened), Ignore(CustomerReady), Ignore(CustomerNeedsReview),
            Ignore(InvoicePosted), Ignore(InvoicePostingFailed), Ignore(InvoiceSent), Ignore(PaymentReceived), Ignore(PaymentReversed), Ignore(InvoiceVoided),
            Ignore(InvoicePastDue30), Ignore(AdvanceContract), Ignore(ApprovalDecided), Ignore(ApprovalSlaElapsed), Ignore(InvoiceDueDatePassed),
            Ignore(RetryHeldFlow), Ignore(RetryFlow), Ignore(TimeActivityPosted), Ignore(RequestAdjustment), Ignore(AdjustmentDecided),
            Ignore(CreditMemoPosted), Ignore(RefundIssued), Ignore(AdjustmentFailed), Ignore(AddManualCharge));

        // Master data's answer about the customer counts until the customer is billable (a flow can be held, e.g. reopened,
        // before that); once billing runs, later answers have nothing to change.
        During(waitingForCustomer.Concat(held).ToArray(),
            When(CustomerReady, c => c.Saga.CustomerReadyAt == null)
                .RecordCustomerReady(time)
                .ActivateContract(time)
                .Settle(),
            When(CustomerNeedsReview, c => c.Saga.CustomerReadyAt == null)
                .RecordCustomerReview(time)
                .Settle(),
            Ignore(CustomerReady, c => c.Saga.CustomerReadyAt != null),
            Ignore(CustomerNeedsReview, c => c.Saga.CustomerReadyAt != null));

        During(running,
            Ignore(CustomerReady),
            Ignore(CustomerNeedsReview));

        During(dealKnown,
            When(DealWon)
                .CountRepeatedWin(time)
                .Settle(),
            When(MilestoneReached)
                .ReachMilestone(time)
                .Settle(),
            When(TimeEntryLogged)
                .LogTime(time)
                .Settle(),
            When(AdvanceContract)
                .AdvanceContract(time)
                .Settle(),
            When(DealChanged)
                .ChangeContract(time)
                .Settle(),
            When(DealReopened)
                .HoldForReopen(time)
                .Settle(),
            When(DealLost)
                .Lose(time)
                .Settle(),
            When(InvoicePosted)
                .RecordPosted(time)
                .Settle(),
            When(InvoicePostingFailed, m => m.Message.Kind == "DuplicateDocNumber")
                .RenumberAndRepost(time)
                .Settle(),
            When(InvoicePostingFailed, m => m.Message.Kind != "DuplicateDocNumber")
                .RecordPostingFailure(time)
                .Settle(),
            When(InvoiceSent)
                .RecordSent(time)
                .Settle(),
            When(PaymentReversed)
                .RecordReversal(time)
                .Settle(),
            When(PaymentReceived)
                .RecordPayment(time)
                .Settle(),
            When(InvoiceVoided)
                .RecordVoid(time)
                .Settle(),
            When(ApprovalDecided)
                .Decide(time)
                .Settle(),
            When(ApprovalSlaElapsed)
                .MarkApprovalLate(time),
            When(InvoiceDueDatePassed)
                .MarkOverdue(time)
                .Settle(),
            When(InvoicePastDue30)
                .MarkPastDue30(time)
                .Settle(),
            When(RetryHeldFlow)
                .ReleaseHold(time)
                .Settle(),
            When(RetryFlow)
                .ReleaseHold(time)
                .Settle(),
            When(TimeActivityPosted)
                .RecordTimeActivity(time),
            When(RequestAdjustment)
                .RecordAdjustment(time)
                .Settle(),
            When(AdjustmentDecided)
                .DecideAdjustment(time)
                .Settle(),
            When(CreditMemoPosted)
                .RecordCredit(time)
                .Settle(),
            When(RefundIssued)
                .RecordRefund(time)
                .Settle(),
            When(AdjustmentFailed)
                .RecordAdjustmentFailure(time)
                .Settle(),
            When(AddManualCharge)
                .AddManualCharge(time)
                .Settle(),
            When(CheckFlowProgress)
                .DetectStuck(time));

        // Cancelled is final: nothing leads out of it. Time already sent to QuickBooks before the loss is still recorded.
        During(Cancelled,
            When(TimeActivityPosted)
                .RecordTimeActivity(time),
            Ignore(DealWon), Ignore(DealLost), Ignore(DealChanged), Ignore(DealReopened), Ignore(MilestoneReached), Ignore(TimeEntryLogged),
            Ignore(CustomerReady), Ignore(CustomerNeedsReview), Ignore(InvoicePosted), Ignore(InvoicePostingFailed), Ignore(InvoiceSent),
            Ignore(PaymentReceived), Ignore(PaymentReversed), Ignore(InvoiceVoided), Ignore(InvoicePastDue30), Ignore(AdvanceContract), Ignore(ApprovalDecided),
            Ignore(ApprovalSlaElapsed), Ignore(InvoiceDueDatePassed), Ignore(RetryHeldFlow), Ignore(RetryFlow), Ignore(CheckFlowProgress),
            Ignore(RequestAdjustment), Ignore(AdjustmentDecided), Ignore(CreditMemoPosted), Ignore(RefundIssued), Ignore(AdjustmentFailed),
            Ignore(AddManualCharge));
    }

    /// <summary>The saga state of a stage; every <see cref="FlowStage"/> is a state of this machine, under the same name.</summary>
    public State StateOf(FlowStage stage) => GetState(stage.ToString());

    public State AwaitingDeal { get; private set; } = null!;
    public State AwaitingCustomer { get; private set; } = null!;
    public State CustomerOnHold { get; private set; } = null!;
    public State ContractActive { get; private set; } = null!;
    public State InvoicesScheduled { get; private set; } = null!;
    public State Drafted { get; private set; } = null!;
    public State AwaitingApproval { get; private set; } = null!;
    public State Posting { get; private set; } = null!;
    public State Posted { get; private set; } = null!;
    public State Sent { get; private set; } = null!;
    public State PartiallyPaid { get; private set; } = null!;
    public State Overdue { get; private set; } = null!;
    public State Paid { get; private set; } = null!;
    public State Closed { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;
    public State HeldForMapping { get; private set; } = null!;
    public State HeldForClosedBooks { get; private set; } = null!;
    public State HeldForPostingFailure { get; private set; } = null!;
    public State HeldForCurrency { get; private set; } = null!;
    public State HeldReopened { get; private set; } = null!;
    public State HeldAfterLoss { get; private set; } = null!;

    public Event<DealWon> DealWon { get; private set; } = null!;
    public Event<DealLost> DealLost { get; private set; } = null!;
    public Event<DealChanged> DealChanged { get; private set; } = null!;
    public Event<DealReopened> DealReopened { get; private set; } = null!;
    public Event<MilestoneReached> MilestoneReached { get; private set; } = null!;
    public Event<TimeEntryLogged> TimeEntryLogged { get; private set; } = null!;
    public Event<CustomerReady> CustomerReady { get; private set; } = null!;
    public Event<CustomerNeedsReview> CustomerNeedsReview { get; private set; } = null!;
    public Event<InvoicePosted> InvoicePosted { get; private set; } = null!;
    public Event<InvoicePostingFailed> InvoicePostingFailed { get; private set; } = null!;
    public Event<InvoiceSent> InvoiceSent { get; private set; } = null!;
    public Event<PaymentReceived> PaymentReceived { get; private set; } = null!;
    public Event<PaymentReversed> PaymentReversed { get; private set; } = null!;
    /// <summary>Voided or deleted in QuickBooks (from accounting-sync's inbound feed).</summary>
    public Event<InvoiceVoided> InvoiceVoided { get; private set; } = null!;
    /// <summary>Scheduled at an invoice's due date + 31 days: does it still count against the customer's standing?</summary>
    public Event<InvoicePastDue30> InvoicePastDue30 { get; private set; } = null!;
    /// <summary>Retry pressed in the exception queue; the same release as <see cref="RetryHeldFlow"/>.</summary>
    public Event<Contracts.BillingRules.RetryFlow> RetryFlow { get; private set; } = null!;
    public Event<TimeActivityPosted> TimeActivityPosted { get; private set; } = null!;
    public Event<AdvanceContract> AdvanceContract { get; private set; } = null!;
    public Event<InvoiceApprovalDecided> ApprovalDecided { get; private set; } = null!;
    public Event<ApprovalSlaElapsed> ApprovalSlaElapsed { get; private set; } = null!;
    public Event<InvoiceDueDatePassed> InvoiceDueDatePassed { get; private set; } = null!;
    public Event<RetryHeldFlow> RetryHeldFlow { get; private set; } = null!;
    public Event<CheckFlowProgress> CheckFlowProgress { get; private set; } = null!;
    public Event<RequestAdjustment> RequestAdjustment { get; private set; } = null!;
    public Event<AdjustmentDecided> AdjustmentDecided { get; private set; } = null!;
    public Event<CreditMemoPosted> CreditMemoPosted { get; private set; } = null!;
    public Event<RefundIssued> RefundIssued { get; private set; } = null!;
    public Event<AdjustmentFailed> AdjustmentFailed { get; private set; } = null!;
    public Event<AddManualCharge> AddManualCharge { get; private set; } = null!;
}
