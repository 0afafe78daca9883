using MassTransit;
using QuoteToCash.BillingRules.Domain;
using QuoteToCash.BillingRules.Infrastructure.Catalog;
using QuoteToCash.BillingRules.Infrastructure.Numbering;
using QuoteToCash.BillingRules.Infrastructure.Policies;
using QuoteToCash.BillingRules.Messages;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.BillingRules;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.BillingRules.Sagas;

/// <summary>
/// The step every event of a flow ends with: draft whatever the contract made due (when the customer and the items
/// are ready), route each draft by the tenant's mode and approval policy, post what may be posted, then move the flow
/// to the stage its facts say and schedule its next wake-up and its stuck check.
/// </summary>
public sealed class SettleFlowActivity(
    QuoteToCashStateMachine machine,
    BillingPolicies policies,
    ItemCatalog catalog,
    InvoiceNumbers numbers,
    IUnitOfWork unitOfWork,
    TimeProvider time) : IStateMachineActivity<QuoteToCashState>
{
    public void Probe(ProbeContext context) => context.CreateScope("settle-flow");

    public void Accept(StateMachineVisitor visitor) => visitor.Visit(this);

    public async Task Execute(BehaviorContext<QuoteToCashState> context, IBehavior<QuoteToCashState> next)
    {
        await SettleAsync(context);
        await next.Execute(context);
    }

    public async Task Execute<T>(BehaviorContext<QuoteToCashState, T> context, IBehavior<QuoteToCashState, T> next) where T : class
    {
        await SettleAsync(context);
        await next.Execute(context);
    }

    public Task Faulted<TException>(BehaviorExceptionContext<QuoteToCashState, TException> context, IBehavior<QuoteToCashState> next)
        where TException : Exception => next.Faulted(context);

    public Task Faulted<T, TException>(BehaviorExceptionContext<QuoteToCashState, T, TException> context, IBehavior<QuoteToCashState, T> next)
        where T : class where TException : Exception => next.Faulted(context);

    private async Task SettleAsync(BehaviorContext<QuoteToCashState> context)
    {
        var flow = context.Saga;
        var now = time.GetUtcNow().UtcDateTime;
        var cancellationToken = context.CancellationToken;
        if (flow.CancelledAt is null && flow.Contract is not null && flow.CustomerId is not null && flow.Hold is HoldReason.None)
        {
            var policy = await policies.ForAsync(flow.TenantId, cancellationToken);
            if (flow.CustomerCurrency is { Length: > 0 } customerCurrency && !string.Equals(customerCurrency, flow.Currency, StringComparison.OrdinalIgnoreCase))
                PlaceHold(flow, HoldReason.CurrencyMismatch, [$"the customer is billed in {customerCurrency} but the deal is in {flow.Currency}"], now);
            else
                await DraftAsync(context, flow, policy, now, cancellationToken);
        }
        await MoveToStageAsync(context, flow, now, cancellationToken);
        await AnnounceAsync(context, flow, now, cancellationToken);
    }

    /// <summary>
    /// Tells others what changed in this step, once per change, from what the flow last told them: the hold (the
    /// exception queue), each invoice's status as the CRM shows it, each invoice's lateness (the customer's standing),
    /// and time entries not yet sent to QuickBooks.
    /// </summary>
    private async Task AnnounceAsync(BehaviorContext<QuoteToCashState> context, QuoteToCashState flow, DateTime now, CancellationToken cancellationToken)
    {
        await AnnounceHoldAsync(context, flow, now);
        foreach (var invoice in flow.Invoices)
        {
            await AnnounceStatusAsync(context, flow, invoice, now);
            await AnnounceLatenessAsync(context, flow, invoice, now);
        }
        await PostTimeAsync(context, flow, now, cancellationToken);
    }

    private static async Task AnnounceHoldAsync(BehaviorContext<QuoteToCashState> context, QuoteToCashState flow, DateTime now)
    {
        if (flow.Hold == flow.AnnouncedHold && flow.HoldDetails.SequenceEqual(flow.AnnouncedHoldDetails, StringComparer.Ordinal))
            return;
        if (flow.Hold != HoldReason.None || flow.AnnouncedHold != HoldReason.None)
        {
            await context.Publish(new FlowHoldChanged
            {
                TenantId = flow.TenantId,
                FlowId = flow.CorrelationId,
                SourceSystem = flow.SourceSystem,
                ExternalDealId = flow.ExternalDealId,
                Hold = HoldNames.Of(flow.Hold),
                Details = flow.HoldDetails.ToList(),
                ChangedAt = new DateTimeOffset(now, TimeSpan.Zero),
            });
        }
        flow.AnnouncedHold = flow.Hold;
        flow.AnnouncedHoldDetails = flow.HoldDetails.ToList();
    }

    private static async Task AnnounceStatusAsync(BehaviorContext<QuoteToCashState> context, QuoteToCashState flow, FlowInvoice invoice, DateTime now)
    {
        var current = InvoiceLifecycle.CrmView(invoice.Status, invoice.Balance, invoice.PaidAt is { } paidAt ? DateOnly.FromDateTime(paidAt) : null);
        var announced = invoice.AnnouncedStatus is null
            ? null
            : new CrmInvoiceStatus(invoice.AnnouncedStatus, invoice.AnnouncedBalance, invoice.AnnouncedPaidDate);
        if (current is null || current == announced)
            return;
        if (InvoiceLifecycle.ShouldAnnounce(announced, current))
        {
            await context.Publish(new InvoiceStatusChanged
            {
                TenantId = flow.TenantId,
                FlowId = flow.CorrelationId,
                InvoiceId = invoice.Draft.InvoiceId,
                DocNumber = invoice.DocNumber ?? invoice.Draft.DocNumber,
                Status = current.Status,
                BalanceDue = current.BalanceDue,
                PaidDate = current.PaidDate,
                ChangedAt = new DateTimeOffset(now, TimeSpan.Zero),
            });
        }
        invoice.AnnouncedStatus = current.Status;
        invoice.AnnouncedBalance = current.BalanceDue;
        invoice.AnnouncedPaidDate = current.PaidDate;
    }

    private static async Task AnnounceLatenessAsync(BehaviorContext<QuoteToCashState> context, QuoteToCashState flow, FlowInvoice invoice, DateTime now)
    {
        var late = InvoiceLifecycle.IsPastDue30(invoice.Status, invoice.Balance, invoice.PastDue30Since is not null);
        if (late == invoice.PastDue30Announced || flow.CustomerId is not { } customerId)
            return;
        await context.Publish(new InvoiceLatenessChanged
        {
            TenantId = flow.TenantId,
            FlowId = flow.CorrelationId,
            InvoiceId = invoice.Draft.InvoiceId,
            DocNumber = invoice.DocNumber ?? invoice.Draft.DocNumber,
            CustomerId = customerId,
            CrmCompanyRef = CrmCompanyRef(flow),
            PastDue30 = late,
            ChangedAt = new DateTimeOffset(now, TimeSpan.Zero),
        });
        invoice.PastDue30Announced = late;
    }

    /// <summary>
    /// The customer's CRM company as "source:externalId", the form crm-ingest's standing write-back reads; empty when
    /// the deal came without a company (crm-ingest names such a customer "deal-…" or "opportunity-…" after the deal),
    /// which leaves nothing to write the standing to.
    /// </summary>
    public static string CrmCompanyRef(QuoteToCashState flow) =>
        string.IsNullOrWhiteSpace(flow.CustomerExternalId)
        || flow.CustomerExternalId.StartsWith("deal-", StringComparison.Ordinal)
        || flow.CustomerExternalId.StartsWith("opportunity-", StringComparison.Ordinal)
            ? string.Empty
            : $"{flow.SourceSystem}:{flow.CustomerExternalId}";

    /// <summary>
    /// Sends every time entry not sent yet to QuickBooks as a TimeActivity, once the customer has a QuickBooks ID: the
    /// rate the entry is worth and the item its role's product (or the tenant's default item) is booked to. The entry
    /// is marked in the same step, so it is sent exactly once.
    /// </summary>
    private async Task PostTimeAsync(BehaviorContext<QuoteToCashState> context, QuoteToCashState flow, DateTime now, CancellationToken cancellationToken)
    {
        if (flow.CancelledAt is not null || flow.Contract is not { } ledger || string.IsNullOrWhiteSpace(flow.AccountingCustomerRef))
            return;
        var waiting = ledger.TimeEntries.Where(e => e.TimeActivityRequestedAt is null).ToList();
        if (waiting.Count == 0)
            return;
        var priced = waiting.Select(e => (Entry: e, Rate: BillingContract.RateOf(ledger, e))).ToList();
        var (items, defaultItem) = await catalog.ForAsync(flow.TenantId, priced.Select(p => p.Rate?.Product), cancellationToken);
        foreach (var (entry, rate) in priced)
        {
            var item = rate?.Product is { } product && items.TryGetValue(product, out var mapped) ? mapped : defaultItem;
            // Billable as billing treats it: time on a fixed-fee, milestone or subscription deal is recorded, never billed by the hour.
            var billable = entry.Billable && entry.Status != TimeEntryStatus.NonBillable;
            entry.TimeActivityRequestedAt = now;
            await context.Publish(new PostTimeActivity
            {
                TenantId = flow.TenantId,
                FlowId = flow.CorrelationId,
                TimeEntryId = entry.EntryId,
                Person = entry.Person,
                Role = entry.Role,
                CustomerRef = flow.AccountingCustomerRef!,
                ItemRef = item?.ItemRef,
                Date = entry.Date,
                Hours = entry.Hours,
                Billable = billable,
                HourlyRate = billable ? rate?.Rate : entry.Rate,
                Currency = flow.Currency,
                Description = entry.Description,
            });
        }
    }

    private async Task DraftAsync(BehaviorContext<QuoteToCashState> context, QuoteToCashState flow, BillingPolicy policy, DateTime now,
        CancellationToken cancellationToken)
    {
        if (flow.Undrafted.Count == 0)
            return;
        var (items, defaultItem) = await catalog.ForAsync(flow.TenantId, flow.Undrafted.SelectMany(d => d.Lines).Select(l => l.Product), cancellationToken);
        var draftContext = new DraftContext
        {
            FlowId = flow.CorrelationId,
            SourceSystem = flow.SourceSystem,
            ExternalDealId = flow.ExternalDealId,
            DealName = flow.DealName,
            Currency = flow.Currency,
            CustomerId = flow.CustomerId!.Value,
            AccountingCustomerRef = flow.AccountingCustomerRef,
            TaxExempt = flow.TaxExempt,
            PaymentTerms = flow.DealPaymentTerms ?? flow.CustomerPaymentTerms ?? policy.StandardTerms,
            StandardTerms = policy.StandardTerms,
            Items = items,
            DefaultItem = defaultItem,
            TaxableCode = policy.TaxableCode,
            ExemptCode = policy.ExemptCode,
            Today = DateOnly.FromDateTime(now),
        };
        while (flow.Undrafted.Count > 0)
        {
            var due = flow.Undrafted[0];
            var result = InvoiceDrafter.Draft(due, draftContext);
            if (result.MissingProducts.Count > 0)
            {
                PlaceHold(flow, HoldReason.MappingMissing, result.MissingProducts.Select(p => MissingMappingDetail(due, p)).ToList(), now);
                return;
            }
            flow.Undrafted.RemoveAt(0);
            foreach (var draft in result.Invoices)
                await IssueAsync(context, flow, draft, policy, now, cancellationToken);
        }
    }

    /// <summary>What holds a charge for want of an item mapping, in finance's words: the product, the line it is on, the charge.</summary>
    private static string MissingMappingDetail(DueInvoice due, string product)
    {
        if (product == InvoiceDrafter.NoProduct)
        {
            var unnamed = due.Lines.FirstOrDefault(l => string.IsNullOrWhiteSpace(l.Product))?.Description;
            return $"line \"{unnamed}\" of charge '{due.Key}' names no product, and the tenant has no default QuickBooks item";
        }
        var line = due.Lines.FirstOrDefault(l => string.Equals(l.Product?.Trim(), product, StringComparison.Ordinal))?.Description;
        var where = line is null ? $"charge '{due.Key}'" : $"line \"{line}\" of charge '{due.Key}'";
        return $"no QuickBooks item is mapped for product {product} ({where}), and the tenant has no default item";
    }

    private async Task IssueAsync(BehaviorContext<QuoteToCashState> context, QuoteToCashState flow, InvoiceDraft draft, BillingPolicy policy,
        DateTime now, CancellationToken cancellationToken)
    {
        if (flow.Invoices.Any(i => i.Draft.InvoiceId == draft.InvoiceId))
            return; // drafted before: the same charge never becomes a second invoice
        var rollout = Rollout.Decide(policy.Rollout, flow.BusinessUnit, flow.Region, flow.Amount, customerApproved: true);
        var invoice = new FlowInvoice
        {
            Draft = draft,
            Mode = rollout.Bill ? rollout.Mode : BillingMode.ParallelRun,
            DraftedAt = now,
            RequestedBy = draft.Kind == ChargeKind.Manual && flow.ManualRequesters.TryGetValue(draft.Key, out var requester) ? requester : flow.OwnerEmail,
            Balance = draft.Total,
        };
        if (!rollout.Bill && rollout.SkippedBecause is { } skipped)
            draft.Notes.Add($"drafted only: {skipped}");
        flow.Invoices.Add(invoice);

        if (invoice.Mode == BillingMode.ParallelRun)
            invoice.Status = InvoiceStatus.Drafted;
        else
        {
            if (policy.Numbering.Mode == NumberingMode.TenantSequence && draft.DocNumber is null)
                draft.DocNumber = InvoiceNumbering.Format(policy.Numbering, await numbers.TakeAsync(flow.TenantId, policy.Numbering.NextNumber, cancellationToken));
            invoice.ApprovalReasons = ApprovalRules.Evaluate(draft, policy.Approval, policy.StandardTerms);
            if (invoice.ApprovalReasons.Count > 0)
            {
                invoice.Status = InvoiceStatus.AwaitingApproval;
                invoice.ApprovalDueAt = now + policy.Approval.Sla;
                unitOfWork.Schedule(ApprovalSlaJobId(draft.InvoiceId), invoice.ApprovalDueAt.Value,
                    new ApprovalSlaElapsed { TenantId = flow.TenantId, FlowId = flow.CorrelationId, InvoiceId = draft.InvoiceId });
            }
            else
                await PostAsync(context, flow, invoice, policy);
        }
        await context.Publish(new InvoiceDrafted
        {
            TenantId = flow.TenantId,
            FlowId = flow.CorrelationId,
            InvoiceId = draft.InvoiceId,
            CustomerId = flow.CustomerId!.Value,
            Currency = draft.Currency,
            Lines = draft.Lines.Select(ToInvoiceLine).ToList(),
            Total = draft.Total,
            InvoiceDate = draft.InvoiceDate,
            DueDate = draft.DueDate,
            RequiresApproval = invoice.Status == InvoiceStatus.AwaitingApproval,
            DraftedAt = new DateTimeOffset(invoice.DraftedAt, TimeSpan.Zero),
        });
    }

    /// <summary>Sends the invoice to accounting-sync's posting queue; its ID makes a repeated send the same QuickBooks invoice.</summary>
    public static async Task PostAsync(BehaviorContext<QuoteToCashState> context, QuoteToCashState flow, FlowInvoice invoice, BillingPolicy policy)
    {
        invoice.Status = InvoiceStatus.Posting;
        invoice.PostingAttempts++;
        invoice.FailureKind = null;
        invoice.FailureMessage = null;
        var draft = invoice.Draft;
        await context.Publish(new PostInvoice
        {
            TenantId = flow.TenantId,
            FlowId = flow.CorrelationId,
            InvoiceId = draft.InvoiceId,
            CustomerId = flow.CustomerId!.Value,
            AccountingCustomerRef = flow.AccountingCustomerRef,
            Currency = draft.Currency,
            Lines = draft.Lines.Select(ToInvoiceLine).ToList(),
            InvoiceDate = draft.InvoiceDate,
            DueDate = draft.DueDate,
            DocNumber = draft.DocNumber,
            PrivateNote = draft.PrivateNote,
            CustomerMemo = draft.CustomerMemo,
            PaymentTerms = draft.PaymentTerms,
            PurchaseOrder = draft.PurchaseOrder,
            SandboxOnly = invoice.Mode == BillingMode.Sandbox,
            ClosedBooks = policy.ClosedBooks == Domain.ClosedBooksPolicy.HoldForFinance
                ? Contracts.AccountingSync.ClosedBooksPolicy.HoldForFinance
                : Contracts.AccountingSync.ClosedBooksPolicy.MoveToFirstOpenDate,
        });
    }

    /// <summary>Sends a credit, write-off or refund to accounting-sync; its ID makes a repeated send the same QuickBooks document.</summary>
    public static async Task SendAdjustmentAsync(BehaviorContext<QuoteToCashState> context, QuoteToCashState flow, Adjustment adjustment)
    {
        adjustment.Status = AdjustmentStatus.Requested;
        var invoice = flow.Invoices.Find(i => i.Draft.InvoiceId == adjustment.InvoiceId);
        if (adjustment.Kind == AdjustmentKind.Refund)
        {
            await context.Publish(new IssueRefund
            {
                TenantId = flow.TenantId,
                FlowId = flow.CorrelationId,
                RefundId = adjustment.AdjustmentId,
                InvoiceId = adjustment.InvoiceId,
                CustomerRef = flow.AccountingCustomerRef ?? string.Empty,
                Amount = adjustment.Amount,
                Currency = flow.Currency,
                PaymentMethod = adjustment.PaymentMethod,
                Reason = adjustment.Reason,
                PrivateNote = $"deal:{flow.SourceSystem}:{flow.ExternalDealId} refund requested by {adjustment.RequestedBy}",
            });
            return;
        }
        await context.Publish(new PostCreditMemo
        {
            TenantId = flow.TenantId,
            FlowId = flow.CorrelationId,
            CreditMemoId = adjustment.AdjustmentId,
            InvoiceId = adjustment.InvoiceId!.Value,
            AccountingInvoiceId = invoice?.AccountingInvoiceId,
            CustomerRef = flow.AccountingCustomerRef ?? string.Empty,
            Currency = flow.Currency,
            Lines = Adjustments.CreditLines(invoice!.Draft, adjustment.Amount, adjustment.Reason).Select(ToInvoiceLine).ToList(),
            Reason = adjustment.Reason,
            WriteOff = adjustment.Kind == AdjustmentKind.WriteOff,
            PrivateNote = $"deal:{flow.SourceSystem}:{flow.ExternalDealId} {(adjustment.Kind == AdjustmentKind.WriteOff ? "write-off" : "credit")} of invoice "
                          + $"{invoice.DocNumber ?? invoice.Draft.Key} requested by {adjustment.RequestedBy}"
                          + (adjustment.DecidedBy is null ? string.Empty : $", approved by {adjustment.DecidedBy}"),
        });
    }

    public static InvoiceLine ToInvoiceLine(DraftLine line) => new()
    {
        Description = line.Description,
        ItemRef = line.ItemRef,
        Quantity = line.Quantity,
        UnitPrice = line.UnitPrice,
        Amount = line.Amount,
        TaxCode = line.TaxCodeRef,
        ServiceDate = line.ServiceDate,
        DiscountPercent = line.DiscountPercent == 0m ? null : line.DiscountPercent,
        ClassRef = line.ClassRef,
    };

    public static string ApprovalSlaJobId(Guid invoiceId) => $"approval-sla:{invoiceId:N}";

    public static string OverdueJobId(Guid invoiceId) => $"overdue:{invoiceId:N}";

    public static string PastDue30JobId(Guid invoiceId) => $"past-due-30:{invoiceId:N}";

    public static string AdvanceJobId(Guid flowId) => $"advance:{flowId:N}";

    public static string StuckJobId(Guid flowId) => $"stuck:{flowId:N}";

    public static void PlaceHold(QuoteToCashState flow, HoldReason reason, List<string> details, DateTime now)
    {
        if (flow.Hold != reason)
            flow.HeldSince = now;
        flow.Hold = reason;
        flow.HoldDetails = details;
    }

    /// <summary>Lifts the flow's hold, with its details.</summary>
    public static void ClearHold(QuoteToCashState flow)
    {
        flow.Hold = HoldReason.None;
        flow.HoldDetails = [];
        flow.HeldSince = null;
    }

    private async Task MoveToStageAsync(BehaviorContext<QuoteToCashState> context, QuoteToCashState flow, DateTime now, CancellationToken cancellationToken)
    {
        var ledger = flow.Contract;
        var nextDue = flow.CancelledAt is null && ledger is not null && flow.CustomerId is not null ? BillingContract.NextDue(ledger) : null;
        var stage = FlowStages.Of(new FlowFacts(
            DealKnown: ledger is not null,
            CustomerReady: flow.CustomerReadyAt is not null,
            CustomerOnHold: flow.CustomerReviewReasons.Count > 0,
            Cancelled: flow.CancelledAt is not null,
            Hold: flow.Hold,
            Invoices: flow.Invoices.Select(i => i.Status).ToList(),
            FullyBilled: ledger is not null && BillingContract.IsFullyBilled(ledger),
            HasScheduledCharge: nextDue is not null,
            HasUndraftedCharges: flow.Undrafted.Count > 0));

        if (nextDue is { } on)
            unitOfWork.Schedule(AdvanceJobId(flow.CorrelationId), new DateTimeOffset(on.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                new AdvanceContract { TenantId = flow.TenantId, FlowId = flow.CorrelationId, On = on });
        else
            unitOfWork.CancelScheduled(AdvanceJobId(flow.CorrelationId));

        if (stage.ToString() == flow.CurrentState)
            return;
        await context.TransitionToState(machine.StateOf(stage));
        flow.StateSince = now;
        flow.StuckSince = null;
        if (stage == FlowStage.Closed)
            flow.ClosedAt = now;
        var policy = await policies.ForAsync(flow.TenantId, cancellationToken);
        if (FlowStages.ExpectedWithin(stage, policy.Stuck) is { } expected)
            unitOfWork.Schedule(StuckJobId(flow.CorrelationId), now + expected,
                new CheckFlowProgress { TenantId = flow.TenantId, FlowId = flow.CorrelationId, Stage = stage.ToString(), Since = now });
        else
            unitOfWork.CancelScheduled(StuckJobId(flow.CorrelationId));
    }
}
