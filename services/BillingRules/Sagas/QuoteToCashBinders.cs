using MassTransit;
using QuoteToCash.BillingRules.Domain;
using QuoteToCash.BillingRules.Messages;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.BillingRules;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.BillingRules.Sagas;

/// <summary>The steps of <see cref="QuoteToCashStateMachine"/>, each named after what it does to the flow.</summary>
public static class QuoteToCashBinders
{
    /// <summary>Stamps the flow with the time of its latest change.</summary>
    public static EventActivityBinder<QuoteToCashState, T> Touch<T>(this EventActivityBinder<QuoteToCashState, T> binder, TimeProvider time)
        where T : class =>
        binder.Then(c => c.Saga.Updated = time.GetUtcNow().UtcDateTime);

    /// <summary>Drafts and posts what is due, moves the flow to the stage its facts say, and schedules what comes next.</summary>
    public static EventActivityBinder<QuoteToCashState, T> Settle<T>(this EventActivityBinder<QuoteToCashState, T> binder) where T : class =>
        binder.Activity(x => x.OfInstanceType<SettleFlowActivity>());

    private static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    private static void Alert(QuoteToCashState flow, IEnumerable<string> messages, TimeProvider time)
    {
        foreach (var message in messages)
            flow.Alerts.Add(new FlowAlert { At = time.GetUtcNow().UtcDateTime, Message = message });
    }

    /// <summary>Queues what the contract made due and keeps what it had to say.</summary>
    private static void Take(QuoteToCashState flow, ContractOutcome outcome, TimeProvider time)
    {
        flow.Undrafted.AddRange(outcome.Due);
        Alert(flow, outcome.Alerts, time);
    }

    public static EventActivityBinder<QuoteToCashState, DealWon> RecordDeal(this EventActivityBinder<QuoteToCashState, DealWon> binder,
        TimeProvider time) =>
        binder.Then(c =>
        {
            var deal = c.Message;
            var saga = c.Saga;
            saga.TenantId = deal.TenantId;
            saga.SourceSystem = deal.SourceSystem;
            saga.ExternalDealId = deal.ExternalDealId;
            saga.DealName = deal.DealName;
            saga.CustomerExternalId = deal.Customer.ExternalId;
            saga.Currency = deal.Currency;
            saga.Amount = deal.Amount;
            saga.BillingModel = deal.BillingModel.ToString();
            saga.WonAt = deal.WonAt.UtcDateTime;
            saga.DealPaymentTerms = deal.PaymentTerms;
            saga.BusinessUnit = deal.BusinessUnit;
            saga.Region = deal.Region;
            saga.OwnerEmail = deal.OwnerEmail;
            saga.BillingEmail = deal.Customer.Contacts.FirstOrDefault(p => p.IsBillingContact && !string.IsNullOrWhiteSpace(p.Email))?.Email?.Trim();
        }).Touch(time);

    /// <summary>Sets up the deal's contract from its billing terms and replays milestones and time that came before it.</summary>
    public static EventActivityBinder<QuoteToCashState, DealWon> StartContract(this EventActivityBinder<QuoteToCashState, DealWon> binder,
        TimeProvider time) =>
        binder.Then(c =>
        {
            var deal = c.Message;
            var terms = deal.Billing ?? new QuoteToCash.Contracts.BillingTerms { Model = deal.BillingModel };
            var ledger = BillingContract.Start(deal.DealName, terms, deal.Lines, deal.Amount, deal.Currency, DateOnly.FromDateTime(deal.WonAt.UtcDateTime));
            c.Saga.Contract = ledger;
            foreach (var early in c.Saga.EarlyEvents)
            {
                Take(c.Saga, early.Kind == "milestone"
                    ? string.Equals(early.Key, Contracts.CrmIngest.MilestoneReached.Completion, StringComparison.OrdinalIgnoreCase)
                        ? BillingContract.Complete(ledger, early.On)
                        : BillingContract.ReachMilestone(ledger, early.Key, early.Name ?? early.Key, early.Percent, early.Amount, early.On)
                    : BillingContract.LogTime(ledger, new TimeEntry(early.Key, early.Person ?? "", early.Role, early.On, early.Hours, early.Billable,
                        early.Rate, early.Description), Today(time)), time);
            }
            c.Saga.EarlyEvents.Clear();
        });

    /// <summary>Asks master data for the deal's billable customer.</summary>
    public static EventActivityBinder<QuoteToCashState, DealWon> ResolveCustomer(this EventActivityBinder<QuoteToCashState, DealWon> binder) =>
        binder.Publish(c => new ResolveCustomer
        {
            TenantId = c.Message.TenantId,
            FlowId = c.Message.FlowId,
            SourceSystem = c.Message.SourceSystem,
            Customer = c.Message.Customer,
        });

    public static EventActivityBinder<QuoteToCashState, CustomerReady> RecordCustomerReady(
        this EventActivityBinder<QuoteToCashState, CustomerReady> binder, TimeProvider time) =>
        binder.Then(c =>
        {
            c.Saga.CustomerId = c.Message.CustomerId;
            c.Saga.CustomerDisplayName = c.Message.DisplayName;
            c.Saga.AccountingCustomerRef = c.Message.AccountingCustomerRef;
            c.Saga.CustomerPaymentTerms = c.Message.PaymentTerms;
            c.Saga.CustomerCurrency = c.Message.Currency;
            c.Saga.TaxExempt = c.Message.TaxExempt;
            c.Saga.CustomerReviewReasons.Clear();
            c.Saga.CustomerReadyAt = time.GetUtcNow().UtcDateTime;
        }).Touch(time);

    /// <summary>The customer is billable: the contract bills what is due on signing.</summary>
    public static EventActivityBinder<QuoteToCashState, CustomerReady> ActivateContract(
        this EventActivityBinder<QuoteToCashState, CustomerReady> binder, TimeProvider time) =>
        binder.Then(c => Take(c.Saga, BillingContract.Activate(c.Saga.Contract!, Today(time)), time));

    public static EventActivityBinder<QuoteToCashState, CustomerNeedsReview> RecordCustomerReview(
        this EventActivityBinder<QuoteToCashState, CustomerNeedsReview> binder, TimeProvider time) =>
        binder.Then(c =>
        {
            c.Saga.CustomerId = c.Message.CustomerId;
            c.Saga.CustomerReviewReasons = c.Message.Reasons.ToList();
        }).Touch(time);

    /// <summary>A milestone that comes before its deal is kept and replayed when the deal arrives.</summary>
    public static EventActivityBinder<QuoteToCashState, MilestoneReached> KeepEarly(this EventActivityBinder<QuoteToCashState, MilestoneReached> binder,
        TimeProvider time) =>
        binder.Then(c =>
        {
            var m = c.Message;
            c.Saga.TenantId = m.TenantId;
            c.Saga.SourceSystem = m.SourceSystem;
            c.Saga.ExternalDealId = m.ExternalDealId;
            if (c.Saga.EarlyEvents.Any(e => e.Kind == "milestone" && e.Key == m.MilestoneId))
                return;
            c.Saga.EarlyEvents.Add(new EarlyEvent
            {
                Kind = "milestone", Key = m.MilestoneId, Name = m.Name, Percent = m.Percent, Amount = m.Amount,
                On = DateOnly.FromDateTime(m.ReachedAt.UtcDateTime),
            });
        }).Touch(time);

    /// <summary>Time logged before its deal is kept and replayed when the deal arrives.</summary>
    public static EventActivityBinder<QuoteToCashState, TimeEntryLogged> KeepEarly(this EventActivityBinder<QuoteToCashState, TimeEntryLogged> binder,
        TimeProvider time) =>
        binder.Then(c =>
        {
            var t = c.Message;
            c.Saga.TenantId = t.TenantId;
            c.Saga.SourceSystem = t.SourceSystem;
            c.Saga.ExternalDealId = t.ExternalDealId;
            if (c.Saga.EarlyEvents.Any(e => e.Kind == "time" && e.Key == t.EntryId))
                return;
            c.Saga.EarlyEvents.Add(new EarlyEvent
            {
                Kind = "time", Key = t.EntryId, Person = t.Person, Role = t.Role, On = t.Date, Hours = t.Hours, Billable = t.Billable,
                Rate = t.Rate, Description = t.Description,
            });
        }).Touch(time);

    public static EventActivityBinder<QuoteToCashState, MilestoneReached> ReachMilestone(
        this EventActivityBinder<QuoteToCashState, MilestoneReached> binder, TimeProvider time) =>
        binder.Then(c =>
        {
            var on = DateOnly.FromDateTime(c.Message.ReachedAt.UtcDateTime);
            Take(c.Saga, string.Equals(c.Message.MilestoneId, Contracts.CrmIngest.MilestoneReached.Completion, StringComparison.OrdinalIgnoreCase)
                ? BillingContract.Complete(c.Saga.Contract!, on)
                : BillingContract.ReachMilestone(c.Saga.Contract!, c.Message.MilestoneId, c.Message.Name, c.Message.Percent, c.Message.Amount, on), time);
        }).Touch(time);



    public static EventActivityBinder<QuoteToCashState, TimeEntryLogged> LogTime(this EventActivityBinder<QuoteToCashState, TimeEntryLogged> binder,
        TimeProvider time) =>
        binder.Then(c =>
        {
            var t = c.Message;
            Take(c.Saga, BillingContract.LogTime(c.Saga.Contract!, new TimeEntry(t.EntryId, t.Person, t.Role, t.Date, t.Hours, t.Billable, t.Rate,
                t.Description), Today(time)), time);
        }).Touch(time);

    public static EventActivityBinder<QuoteToCashState, AdvanceContract> AdvanceContract(
        this EventActivityBinder<QuoteToCashState, AdvanceContract> binder, TimeProvider time) =>
        binder.Then(c => Take(c.Saga, BillingContract.Advance(c.Saga.Contract!, Today(time)), time)).Touch(time);

    /// <summary>A change of a won deal: new terms (e.g. more seats) are billed from the change on.</summary>
    public static EventActivityBinder<QuoteToCashState, DealChanged> ChangeContract(this EventActivityBinder<QuoteToCashState, DealChanged> binder,
        TimeProvider time) =>
        binder.Then(c =>
        {
            var change = c.Message;
            if (change.Billing is null)
            {
                Alert(c.Saga, [$"the deal changed on {change.ChangedAt:yyyy-MM-dd} without billing terms; the contract is unchanged"], time);
                return;
            }
            c.Saga.Amount = change.Amount;
            Take(c.Saga, BillingContract.Change(c.Saga.Contract!, change.Billing, change.Amount, DateOnly.FromDateTime(change.ChangedAt.UtcDateTime)), time);
        }).Touch(time);

    /// <summary>
    /// The invoice is in QuickBooks: it owes QuickBooks' balance from QuickBooks' due date, whose passing (and 30 days
    /// beyond it, for the customer's standing) is watched by the scheduler; and when the tenant e-mails invoices and the
    /// customer has a billing e-mail, QuickBooks is asked once to send it.
    /// </summary>
    public static EventActivityBinder<QuoteToCashState, InvoicePosted> RecordPosted(this EventActivityBinder<QuoteToCashState, InvoicePosted> binder,
        TimeProvider time) =>
        binder.ThenAsync(async c =>
        {
            if (c.Saga.Invoices.Find(i => i.Draft.InvoiceId == c.Message.InvoiceId) is not { } invoice || invoice.AccountingInvoiceId is not null)
                return;
            ServiceDefaults.Telemetry.FlowMetrics.InvoicePosted(c.Saga.TenantId, c.Message.PostedAt,
                c.Saga.Invoices.All(i => i.PostedAt is null) ? c.Saga.WonAt : null);
            invoice.AccountingInvoiceId = c.Message.AccountingInvoiceId;
            invoice.DocNumber = c.Message.DocNumber;
            invoice.PostedAt = c.Message.PostedAt.UtcDateTime;
            invoice.AccountingDueDate = c.Message.DueDate;
            if (invoice.Status is InvoiceStatus.Posting or InvoiceStatus.Held)
            {
                invoice.Status = InvoiceStatus.Posted;
                invoice.Balance = c.Message.Balance;
            }
            if (c.Saga.Hold == HoldReason.PostingFailed && c.Saga.Invoices.All(i => i.Status != InvoiceStatus.Held))
                SettleFlowActivity.ClearHold(c.Saga);
            var invoiceId = invoice.Draft.InvoiceId;
            Schedule(c, SettleFlowActivity.OverdueJobId(invoiceId), StartOf(invoice.DueDate().AddDays(1)),
                new InvoiceDueDatePassed { TenantId = c.Saga.TenantId, FlowId = c.Saga.CorrelationId, InvoiceId = invoiceId });
            Schedule(c, SettleFlowActivity.PastDue30JobId(invoiceId), StartOf(invoice.DueDate().AddDays(31)),
                new InvoicePastDue30 { TenantId = c.Saga.TenantId, FlowId = c.Saga.CorrelationId, InvoiceId = invoiceId });

            var policy = await c.GetServiceOrCreateInstance<Infrastructure.Policies.BillingPolicies>().ForAsync(c.Saga.TenantId, c.CancellationToken);
            if (policy.EmailInvoices && c.Saga.BillingEmail is { Length: > 0 } email && invoice.Mode == BillingMode.Live
                && invoice.Status == InvoiceStatus.Posted && invoice.SendRequestedAt is null)
            {
                invoice.SendRequestedAt = time.GetUtcNow().UtcDateTime;
                await c.Publish(new SendInvoice
                {
                    TenantId = c.Saga.TenantId,
                    FlowId = c.Saga.CorrelationId,
                    InvoiceId = invoice.Draft.InvoiceId,
                    AccountingInvoiceId = invoice.AccountingInvoiceId,
                    SendTo = email,
                    RequestedAt = time.GetUtcNow(),
                });
            }
        }).Touch(time);

    private static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static void Schedule<T>(BehaviorContext<QuoteToCashState> context, string jobId, DateTimeOffset dueAt, T message) where T : class =>
        context.GetServiceOrCreateInstance<IUnitOfWork>().Schedule(jobId, dueAt, message);

    private static FlowInvoice? Invoice(QuoteToCashState flow, Guid invoiceId) => flow.Invoices.Find(i => i.Draft.InvoiceId == invoiceId);

    /// <summary>
    /// QuickBooks refused the invoice. A duplicate number takes the tenant's next number and is posted again; a closed
    /// period or any other refusal holds the flow for finance with QuickBooks' reason.
    /// </summary>
    public static EventActivityBinder<QuoteToCashState, InvoicePostingFailed> RecordPostingFailure(
        this EventActivityBinder<QuoteToCashState, InvoicePostingFailed> binder, TimeProvider time) =>
        binder.Then(c =>
        {
            if (Invoice(c.Saga, c.Message.InvoiceId) is not { Status: InvoiceStatus.Posting } invoice)
                return; // late or repeated: the invoice has moved on
            invoice.Status = InvoiceStatus.Held;
            invoice.FailureKind = c.Message.Kind;
            invoice.FailureMessage = c.Message.Message;
            var now = time.GetUtcNow().UtcDateTime;
            var reason = c.Message.Kind == "ClosedPeriod" ? HoldReason.ClosedBooks : HoldReason.PostingFailed;
            SettleFlowActivity.PlaceHold(c.Saga, reason,
                [$"QuickBooks refused invoice {invoice.Draft.DocNumber ?? invoice.Draft.Key}: {c.Message.Message}"], now);
        }).Touch(time);

    /// <summary>A duplicate document number is not finance's problem: the invoice takes the next number and goes again.</summary>
    public static EventActivityBinder<QuoteToCashState, InvoicePostingFailed> RenumberAndRepost(
        this EventActivityBinder<QuoteToCashState, InvoicePostingFailed> binder, TimeProvider time) =>
        binder.ThenAsync(async c =>
        {
            if (Invoice(c.Saga, c.Message.InvoiceId) is not { Status: InvoiceStatus.Posting } invoice)
                return;
            var policy = await c.GetServiceOrCreateInstance<Infrastructure.Policies.BillingPolicies>().ForAsync(c.Saga.TenantId, c.CancellationToken);
            var numbers = c.GetServiceOrCreateInstance<Infrastructure.Numbering.InvoiceNumbers>();
            var previous = invoice.Draft.DocNumber;
            invoice.Draft.DocNumber = policy.Numbering.Mode == NumberingMode.TenantSequence
                ? InvoiceNumbering.Format(policy.Numbering, await numbers.TakeAsync(c.Saga.TenantId, policy.Numbering.NextNumber, c.CancellationToken))
                : null;
            invoice.Draft.Notes.Add($"number {previous} was already used in QuickBooks; renumbered {invoice.Draft.DocNumber ?? "by QuickBooks"}");
            await SettleFlowActivity.PostAsync(c, c.Saga, invoice, policy);
        }).Touch(time);

    public static EventActivityBinder<QuoteToCashState, InvoiceSent> RecordSent(this EventActivityBinder<QuoteToCashState, InvoiceSent> binder,
        TimeProvider time) =>
        binder.Then(c =>
        {
            if (Invoice(c.Saga, c.Message.InvoiceId) is not { } invoice || invoice.SentAt is not null)
                return;
            invoice.SentAt = c.Message.SentAt.UtcDateTime;
            invoice.Status = InvoiceLifecycle.AfterSent(invoice.Status);
        }).Touch(time);

    /// <summary>
    /// A payment from QuickBooks: the balance is QuickBooks' remaining balance, so a re-delivered or late payment cannot
    /// count twice; a payment beyond the balance is kept as the customer's unapplied credit. A credit memo applied in
    /// QuickBooks (<see cref="PaymentReceived.AccountingCreditMemoId"/>) settles the invoice as a credit, not as cash.
    /// </summary>
    public static EventActivityBinder<QuoteToCashState, PaymentReceived> RecordPayment(this EventActivityBinder<QuoteToCashState, PaymentReceived> binder,
        TimeProvider time) =>
        binder.Then(c =>
        {
            if (Invoice(c.Saga, c.Message.InvoiceId) is not { } invoice || invoice.Status is InvoiceStatus.Voided)
                return;
            var payment = c.Message;
            var remaining = Math.Max(0m, payment.RemainingBalance);
            if (remaining >= invoice.Balance)
                return; // re-delivered, or an older payment arriving after a newer one: balances only go down
            var applied = invoice.Balance - remaining;
            var byCredit = !string.IsNullOrWhiteSpace(payment.AccountingCreditMemoId);
            if (payment.Amount > applied && remaining == 0m)
                invoice.UnappliedCredit += payment.Amount - applied;
            if (byCredit)
                invoice.Credited += applied;
            else
                invoice.Paid = Math.Max(0m, invoice.Draft.Total - remaining - invoice.Credited);
            invoice.Balance = remaining;
            invoice.Status = InvoiceLifecycle.AfterPayment(invoice.Status, remaining, byCredit);
            if (invoice.Status == InvoiceStatus.Paid)
                invoice.PaidAt = payment.ReceivedAt.UtcDateTime;
        }).Touch(time);

    /// <summary>
    /// A payment (or credit) applied in QuickBooks was deleted, voided or reduced there: the invoice owes QuickBooks'
    /// balance again. Balances only go up to what the reversal says, so a re-delivered reversal changes nothing. The
    /// due-date watches are armed again; one whose day has passed fires at once, so a reversed invoice that is late is
    /// Overdue again, and counts against the customer's standing again once it is 30 days late.
    /// </summary>
    public static EventActivityBinder<QuoteToCashState, PaymentReversed> RecordReversal(this EventActivityBinder<QuoteToCashState, PaymentReversed> binder,
        TimeProvider time) =>
        binder.Then(c =>
        {
            if (Invoice(c.Saga, c.Message.InvoiceId) is not { AccountingInvoiceId: not null } invoice || invoice.Status is InvoiceStatus.Voided)
                return;
            var owed = Math.Max(0m, c.Message.RemainingBalance);
            if (owed <= invoice.Balance)
                return; // re-delivered, or already overtaken by what QuickBooks said since
            var restored = owed - invoice.Balance;
            var fromPaid = Math.Min(invoice.Paid, restored);
            invoice.Paid -= fromPaid;
            invoice.Credited = Math.Max(0m, invoice.Credited - (restored - fromPaid));
            invoice.Balance = owed;
            invoice.PaidAt = null;
            invoice.Status = InvoiceLifecycle.AfterReversal(invoice.Paid + invoice.Credited > 0m, invoice.SentAt is not null);
            var invoiceId = invoice.Draft.InvoiceId;
            Schedule(c, SettleFlowActivity.OverdueJobId(invoiceId), StartOf(invoice.DueDate().AddDays(1)),
                new InvoiceDueDatePassed { TenantId = c.Saga.TenantId, FlowId = c.Saga.CorrelationId, InvoiceId = invoiceId });
            if (invoice.PastDue30Since is null)
                Schedule(c, SettleFlowActivity.PastDue30JobId(invoiceId), StartOf(invoice.DueDate().AddDays(31)),
                    new InvoicePastDue30 { TenantId = c.Saga.TenantId, FlowId = c.Saga.CorrelationId, InvoiceId = invoiceId });
        }).Touch(time);

    /// <summary>
    /// The invoice was voided (or deleted) in QuickBooks by someone working there: it owes nothing, its due-date watches
    /// are dropped, and nothing is invoiced again in its place (finance decides). Money already paid on it is the
    /// customer's unapplied credit in QuickBooks now.
    /// </summary>
    public static EventActivityBinder<QuoteToCashState, InvoiceVoided> RecordVoid(this EventActivityBinder<QuoteToCashState, InvoiceVoided> binder,
        TimeProvider time) =>
        binder.Then(c =>
        {
            var voided = c.Message;
            if (Invoice(c.Saga, voided.InvoiceId) is not { } invoice
                || invoice.Status is InvoiceStatus.Voided or InvoiceStatus.Drafted or InvoiceStatus.AwaitingApproval or InvoiceStatus.Rejected
                    or InvoiceStatus.Withdrawn
                || (invoice.AccountingInvoiceId is not null && invoice.AccountingInvoiceId != voided.AccountingInvoiceId))
                return;
            invoice.AccountingInvoiceId ??= voided.AccountingInvoiceId; // the void overtook the posting result
            invoice.VoidedAt = voided.VoidedAt.UtcDateTime;
            invoice.DeletedInAccounting = voided.Deleted;
            invoice.Status = InvoiceStatus.Voided;
            invoice.Balance = 0m;
            invoice.FailureKind = null;
            invoice.FailureMessage = null;
            var name = invoice.DocNumber ?? invoice.Draft.DocNumber ?? invoice.Draft.Key;
            var paid = invoice.Paid > 0m ? $" after {DraftMoney.Format(invoice.Paid, invoice.Draft.Currency)} had been paid on it (now the customer's unapplied credit there)" : "";
            if (invoice.Paid > 0m)
                invoice.UnappliedCredit += invoice.Paid;
            Alert(c.Saga, [$"invoice {name} was {(voided.Deleted ? "deleted" : "voided")} in QuickBooks on {voided.VoidedAt:yyyy-MM-dd}{paid}; nothing is invoiced again in its place"], time);
            var unitOfWork = c.GetServiceOrCreateInstance<IUnitOfWork>();
            unitOfWork.CancelScheduled(SettleFlowActivity.OverdueJobId(invoice.Draft.InvoiceId));
            unitOfWork.CancelScheduled(SettleFlowActivity.PastDue30JobId(invoice.Draft.InvoiceId));
            if (c.Saga.Hold == HoldReason.PostingFailed && c.Saga.Invoices.All(i => i.Status != InvoiceStatus.Held))
                SettleFlowActivity.ClearHold(c.Saga);
        }).Touch(time);

    /// <summary>A finance user's decision on an invoice awaiting approval; the saga checks segregation of duties again.</summary>
    public static EventActivityBinder<QuoteToCashState, InvoiceApprovalDecided> Decide(
        this EventActivityBinder<QuoteToCashState, InvoiceApprovalDecided> binder, TimeProvider time) =>
        binder.ThenAsync(async c =>
        {
            var decision = c.Message;
            if (Invoice(c.Saga, decision.InvoiceId) is not { Status: InvoiceStatus.AwaitingApproval } invoice)
                return; // decided already: the first decision stands
            var sod = ApprovalRules.CanApprove(decision.By, invoice.RequestedBy, c.Saga.OwnerEmail);
            if (!sod.Allowed)
            {
                Alert(c.Saga, [$"{decision.By} may not decide invoice {invoice.Draft.Key}: {sod.Reason}"], time);
                return;
            }
            invoice.DecidedBy = decision.By;
            invoice.DecidedAt = decision.At.UtcDateTime;
            invoice.DecisionNote = decision.Note;
            c.GetServiceOrCreateInstance<IUnitOfWork>().CancelScheduled(SettleFlowActivity.ApprovalSlaJobId(invoice.Draft.InvoiceId));
            await c.Publish(new InvoiceApprovalRecorded
            {
                TenantId = c.Saga.TenantId,
                FlowId = c.Saga.CorrelationId,
                InvoiceId = invoice.Draft.InvoiceId,
                Decision = decision.Approved ? InvoiceApprovalRecorded.Approved : InvoiceApprovalRecorded.Rejected,
                DecidedBy = decision.By,
                DecidedAt = decision.At,
                RequestedAt = new DateTimeOffset(invoice.DraftedAt, TimeSpan.Zero),
                Note = decision.Note,
            });
            if (!decision.Approved)
            {
                invoice.Status = InvoiceStatus.Rejected;
                return;
            }
            var policy = await c.GetServiceOrCreateInstance<Infrastructure.Policies.BillingPolicies>().ForAsync(c.Saga.TenantId, c.CancellationToken);
            await SettleFlowActivity.PostAsync(c, c.Saga, invoice, policy);
        }).Touch(time);

    public static EventActivityBinder<QuoteToCashState, ApprovalSlaElapsed> MarkApprovalLate(
        this EventActivityBinder<QuoteToCashState, ApprovalSlaElapsed> binder, TimeProvider time) =>
        binder.Then(c =>
        {
            if (Invoice(c.Saga, c.Message.InvoiceId) is { Status: InvoiceStatus.AwaitingApproval, ApprovalSlaBreached: false } invoice)
            {
                invoice.ApprovalSlaBreached = true;
                Alert(c.Saga, [$"invoice {invoice.Draft.Key} has waited for approval beyond the approval SLA"], time);
            }
        });

    public static EventActivityBinder<QuoteToCashState, InvoiceDueDatePassed> MarkOverdue(
        this EventActivityBinder<QuoteToCashState, InvoiceDueDatePassed> binder, TimeProvider time) =>
        binder.Then(c =>
        {
            if (Invoice(c.Saga, c.Message.InvoiceId) is { } invoice)
                invoice.Status = InvoiceLifecycle.AfterDueDate(invoice.Status, invoice.Balance);
        }).Touch(time);

    /// <summary>Thirty days past due and still owing: the invoice counts against the customer's standing until it is settled.</summary>
    public static EventActivityBinder<QuoteToCashState, InvoicePastDue30> MarkPastDue30(
        this EventActivityBinder<QuoteToCashState, InvoicePastDue30> binder, TimeProvider time) =>
        binder.Then(c =>
        {
            if (Invoice(c.Saga, c.Message.InvoiceId) is not { PastDue30Since: null } invoice)
                return;
            invoice.Status = InvoiceLifecycle.AfterDueDate(invoice.Status, invoice.Balance);
            if (InvoiceLifecycle.IsPastDue30(invoice.Status, invoice.Balance, pastDue30Reached: true))
                invoice.PastDue30Since = time.GetUtcNow().UtcDateTime;
        }).Touch(time);

    /// <summary>Finance released the hold (or the missing mapping arrived): held invoices go again, undrafted charges are drafted.</summary>
    public static EventActivityBinder<QuoteToCashState, RetryHeldFlow> ReleaseHold(this EventActivityBinder<QuoteToCashState, RetryHeldFlow> binder,
        TimeProvider time) =>
        binder.ThenAsync(ReleaseHoldAsync).Touch(time);

    /// <summary>
    /// A finance user pressed Retry in the exception queue: the same release as <see cref="RetryHeldFlow"/>, noted on the
    /// flow. Invoices already in QuickBooks are never posted again; only held ones go again, under their own IDs.
    /// </summary>
    public static EventActivityBinder<QuoteToCashState, RetryFlow> ReleaseHold(this EventActivityBinder<QuoteToCashState, RetryFlow> binder,
        TimeProvider time) =>
        binder.ThenAsync(async c =>
        {
            if (c.Saga.Hold is HoldReason.DealReopened or HoldReason.DealLostAfterInvoicing or HoldReason.None)
                return;
            Alert(c.Saga, [$"{c.Message.RequestedBy} retried the flow from the exception queue ({c.Saga.Hold} hold)"], time);
            await ReleaseHoldAsync(c);
        }).Touch(time);

    private static async Task ReleaseHoldAsync(BehaviorContext<QuoteToCashState> c)
    {
        if (c.Saga.Hold is HoldReason.DealReopened or HoldReason.DealLostAfterInvoicing or HoldReason.None)
            return; // only the CRM lifts these
        SettleFlowActivity.ClearHold(c.Saga);
        var policy = await c.GetServiceOrCreateInstance<Infrastructure.Policies.BillingPolicies>().ForAsync(c.Saga.TenantId, c.CancellationToken);
        foreach (var invoice in c.Saga.Invoices.Where(i => i.Status == InvoiceStatus.Held).ToList())
            await SettleFlowActivity.PostAsync(c, c.Saga, invoice, policy);
    }

    /// <summary>The time entry is in QuickBooks as a TimeActivity; the flow shows it.</summary>
    public static EventActivityBinder<QuoteToCashState, TimeActivityPosted> RecordTimeActivity(
        this EventActivityBinder<QuoteToCashState, TimeActivityPosted> binder, TimeProvider time) =>
        binder.Then(c =>
        {
            var entry = c.Saga.Contract?.TimeEntries.FirstOrDefault(e => string.Equals(e.EntryId, c.Message.TimeEntryId, StringComparison.Ordinal));
            if (entry is null || entry.AccountingTimeActivityId is not null)
                return;
            entry.AccountingTimeActivityId = c.Message.AccountingTimeActivityId;
            entry.TimeActivityPostedAt = c.Message.PostedAt.UtcDateTime;
        }).Touch(time);

    /// <summary>The deal went back to an open stage: nothing more is posted until it is won again.</summary>
    public static EventActivityBinder<QuoteToCashState, DealReopened> HoldForReopen(this EventActivityBinder<QuoteToCashState, DealReopened> binder,
        TimeProvider time) =>
        binder.Then(c =>
        {
            c.Saga.ReopenedAt = c.Message.ReopenedAt.UtcDateTime;
            SettleFlowActivity.PlaceHold(c.Saga, HoldReason.DealReopened,
                [$"the deal was reopened in the CRM on {c.Message.ReopenedAt:yyyy-MM-dd}; billing waits until it is won again"], time.GetUtcNow().UtcDateTime);
        }).Touch(time);

    /// <summary>Won again after a reopen: billing resumes where it stopped.</summary>
    public static EventActivityBinder<QuoteToCashState, DealWon> CountRepeatedWin(this EventActivityBinder<QuoteToCashState, DealWon> binder,
        TimeProvider time) =>
        binder.Then(c =>
        {
            c.Saga.RepeatedWins++;
            if (c.Saga.Hold == HoldReason.DealReopened && c.Message.WonAt.UtcDateTime >= c.Saga.ReopenedAt)
            {
                SettleFlowActivity.ClearHold(c.Saga);
                c.Saga.ReopenedAt = null;
            }
        }).Touch(time);

    /// <summary>
    /// A lost deal: what has not reached QuickBooks is withdrawn. With nothing posted the flow is cancelled; with posted
    /// invoices finance decides on credits, so the flow is held.
    /// </summary>
    public static EventActivityBinder<QuoteToCashState, DealLost> Lose(this EventActivityBinder<QuoteToCashState, DealLost> binder, TimeProvider time) =>
        binder.Then(c =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var invoice in c.Saga.Invoices.Where(i => i.Status is InvoiceStatus.Drafted or InvoiceStatus.AwaitingApproval))
                invoice.Status = InvoiceStatus.Withdrawn;
            c.Saga.Undrafted.Clear();
            if (c.Saga.Invoices.Any(i => i.AccountingInvoiceId is not null || i.Status == InvoiceStatus.Posting))
                SettleFlowActivity.PlaceHold(c.Saga, HoldReason.DealLostAfterInvoicing,
                    ["the deal was lost after invoices reached QuickBooks; decide on credit memos"], now);
            else
                c.Saga.CancelledAt = now;
        }).Touch(time);

    /// <summary>The scheduled look: if the flow is still where it was, it is stuck, and finance is told once.</summary>
    public static EventActivityBinder<QuoteToCashState, CheckFlowProgress> DetectStuck(
        this EventActivityBinder<QuoteToCashState, CheckFlowProgress> binder, TimeProvider time) =>
        binder.IfElse(c => c.Saga.CurrentState == c.Message.Stage && c.Saga.StateSince == c.Message.Since && c.Saga.StuckSince is null,
            stuck => stuck
                .Then(c => c.Saga.StuckSince = time.GetUtcNow().UtcDateTime)
                .Publish(c => new FlowStuck
                {
                    TenantId = c.Saga.TenantId,
                    FlowId = c.Saga.CorrelationId,
                    ExternalDealId = c.Saga.ExternalDealId,
                    State = c.Saga.CurrentState,
                    Since = new DateTimeOffset(c.Saga.StateSince, TimeSpan.Zero),
                    ExpectedWithin = time.GetUtcNow().UtcDateTime - c.Saga.StateSince,
                    DetectedAt = time.GetUtcNow(),
                }),
            moved => moved);

    private static Adjustment? AdjustmentOf(QuoteToCashState flow, Guid adjustmentId) => flow.Adjustments.Find(a => a.AdjustmentId == adjustmentId);

    /// <summary>Records a credit, write-off or refund; a credit or refund goes to QuickBooks at once, a write-off waits for a finance manager.</summary>
    public static EventActivityBinder<QuoteToCashState, RequestAdjustment> RecordAdjustment(
        this EventActivityBinder<QuoteToCashState, RequestAdjustment> binder, TimeProvider time) =>
        binder.ThenAsync(async c =>
        {
            var request = c.Message;
            if (AdjustmentOf(c.Saga, request.AdjustmentId) is not null)
                return; // asked for before
            var adjustment = new Adjustment
            {
                AdjustmentId = request.AdjustmentId, Kind = request.Kind, InvoiceId = request.InvoiceId, Amount = request.Amount, Reason = request.Reason,
                PaymentMethod = request.PaymentMethod, RequestedBy = request.By, RequestedAt = request.At.UtcDateTime,
                Status = request.Kind == AdjustmentKind.WriteOff ? AdjustmentStatus.AwaitingApproval : AdjustmentStatus.Requested,
            };
            c.Saga.Adjustments.Add(adjustment);
            if (adjustment.Status == AdjustmentStatus.Requested)
                await SettleFlowActivity.SendAdjustmentAsync(c, c.Saga, adjustment);
        }).Touch(time);

    /// <summary>
    /// A finance manager's decision on a write-off. The approver is neither the requester nor whoever approved the
    /// invoice's credit terms; the saga checks again what the API checked.
    /// </summary>
    public static EventActivityBinder<QuoteToCashState, AdjustmentDecided> DecideAdjustment(
        this EventActivityBinder<QuoteToCashState, AdjustmentDecided> binder, TimeProvider time) =>
        binder.ThenAsync(async c =>
        {
            if (AdjustmentOf(c.Saga, c.Message.AdjustmentId) is not { Status: AdjustmentStatus.AwaitingApproval } adjustment)
                return;
            var termsApprover = Invoice(c.Saga, adjustment.InvoiceId ?? Guid.Empty)?.DecidedBy;
            var sod = ApprovalRules.CanApproveWriteOff(c.Message.By, adjustment.RequestedBy, termsApprover);
            if (!sod.Allowed)
            {
                Alert(c.Saga, [$"{c.Message.By} may not decide the write-off of {adjustment.Amount} {c.Saga.Currency}: {sod.Reason}"], time);
                return;
            }
            adjustment.DecidedBy = c.Message.By;
            adjustment.DecidedAt = c.Message.At.UtcDateTime;
            if (c.Message.Approved)
                await SettleFlowActivity.SendAdjustmentAsync(c, c.Saga, adjustment);
            else
                adjustment.Status = AdjustmentStatus.Rejected;
        }).Touch(time);

    /// <summary>The credit memo is in QuickBooks: the invoice owes what QuickBooks says, and credit beyond it is the customer's.</summary>
    public static EventActivityBinder<QuoteToCashState, CreditMemoPosted> RecordCredit(
        this EventActivityBinder<QuoteToCashState, CreditMemoPosted> binder, TimeProvider time) =>
        binder.Then(c =>
        {
            var posted = c.Message;
            if (AdjustmentOf(c.Saga, posted.CreditMemoId) is not { } adjustment || adjustment.Status == AdjustmentStatus.Posted)
                return;
            adjustment.Status = AdjustmentStatus.Posted;
            adjustment.AccountingId = posted.AccountingCreditMemoId;
            adjustment.DocNumber = posted.DocNumber;
            adjustment.Applied = posted.AppliedAmount;
            adjustment.CompletedAt = posted.PostedAt.UtcDateTime;
            if (Invoice(c.Saga, posted.InvoiceId) is not { } invoice)
                return;
            invoice.Credited += posted.AppliedAmount;
            invoice.UnappliedCredit += posted.UnappliedCredit;
            invoice.Balance = Math.Max(0m, posted.InvoiceBalance);
            if (invoice.Balance == 0m && invoice.Status is not InvoiceStatus.Paid and not InvoiceStatus.Voided)
                invoice.Status = InvoiceStatus.Credited;
        }).Touch(time);

    /// <summary>The refund receipt is in QuickBooks: the customer's credit with us goes down by it.</summary>
    public static EventActivityBinder<QuoteToCashState, RefundIssued> RecordRefund(this EventActivityBinder<QuoteToCashState, RefundIssued> binder,
        TimeProvider time) =>
        binder.Then(c =>
        {
            if (AdjustmentOf(c.Saga, c.Message.RefundId) is not { } adjustment || adjustment.Status == AdjustmentStatus.Posted)
                return;
            adjustment.Status = AdjustmentStatus.Posted;
            adjustment.AccountingId = c.Message.AccountingRefundReceiptId;
            adjustment.DocNumber = c.Message.DocNumber;
            adjustment.CompletedAt = c.Message.IssuedAt.UtcDateTime;
            var left = c.Message.Amount;
            foreach (var invoice in c.Saga.Invoices.Where(i => i.UnappliedCredit > 0m)
                         .OrderByDescending(i => i.Draft.InvoiceId == adjustment.InvoiceId))
            {
                var used = Math.Min(left, invoice.UnappliedCredit);
                invoice.UnappliedCredit -= used;
                left -= used;
                if (left == 0m)
                    break;
            }
        }).Touch(time);

    public static EventActivityBinder<QuoteToCashState, AdjustmentFailed> RecordAdjustmentFailure(
        this EventActivityBinder<QuoteToCashState, AdjustmentFailed> binder, TimeProvider time) =>
        binder.Then(c =>
        {
            if (AdjustmentOf(c.Saga, c.Message.AdjustmentId) is not { Status: AdjustmentStatus.Requested } adjustment)
                return;
            adjustment.Status = AdjustmentStatus.Failed;
            adjustment.FailureKind = c.Message.Kind;
            adjustment.FailureMessage = c.Message.Message;
            Alert(c.Saga, [$"QuickBooks refused the {adjustment.Kind.ToString().ToLowerInvariant()} of {adjustment.Amount} {c.Saga.Currency}: {c.Message.Message}"], time);
        }).Touch(time);

    /// <summary>Lines finance typed become a due invoice of their own, marked manual (approval policy looks at those).</summary>
    public static EventActivityBinder<QuoteToCashState, AddManualCharge> AddManualCharge(
        this EventActivityBinder<QuoteToCashState, AddManualCharge> binder, TimeProvider time) =>
        binder.Then(c =>
        {
            var charge = c.Message;
            var key = $"manual:{charge.ChargeId:N}";
            if (c.Saga.ManualRequesters.ContainsKey(key))
                return; // added before
            c.Saga.ManualRequesters[key] = charge.By;
            var due = new DueInvoice
            {
                Key = key, Kind = ChargeKind.Manual, BillOn = charge.BillOn ?? Today(time), Notes = [$"added by {charge.By}: {charge.Reason}"],
                Lines = charge.Lines.Select(l => new ChargeLine
                {
                    Description = l.Description, Product = l.Product, Quantity = l.Quantity, UnitPrice = l.UnitPrice, DiscountPercent = l.DiscountPercent,
                    Amount = Money.LineAmount(l.Quantity, l.UnitPrice, l.DiscountPercent, c.Saga.Currency), Manual = true,
                }).ToList(),
            };
            c.Saga.Undrafted.Add(due);
        }).Touch(time);
}
