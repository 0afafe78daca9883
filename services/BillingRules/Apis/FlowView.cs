using QuoteToCash.BillingRules.Domain;
using QuoteToCash.BillingRules.Sagas;

namespace QuoteToCash.BillingRules.Apis;

/// <summary>One deal's quote-to-cash flow as the API shows it: the process facts, without storage or saga internals.</summary>
public sealed record FlowView(
    Guid FlowId,
    string TenantId,
    string CurrentState,
    DateTime StateSince,
    DateTime? StuckSince,
    string SourceSystem,
    string ExternalDealId,
    string DealName,
    string CustomerExternalId,
    decimal Amount,
    string Currency,
    string BillingModel,
    DateTime WonAt,
    string? OwnerEmail,
    string? BusinessUnit,
    string? Region,
    Guid? CustomerId,
    string? CustomerDisplayName,
    IReadOnlyList<string> CustomerReviewReasons,
    DateTime? CustomerReadyAt,
    HoldView? Hold,
    ContractView? Contract,
    IReadOnlyList<InvoiceView> Invoices,
    IReadOnlyList<AdjustmentView> Adjustments,
    IReadOnlyList<AlertView> Alerts,
    DateTime? CancelledAt,
    DateTime? ClosedAt,
    DateTime Updated,
    int RepeatedWins,
    IReadOnlyList<TimeEntryView> TimeEntries)
{
    public static FlowView From(QuoteToCashState flow) => new(
        flow.CorrelationId, flow.TenantId, flow.CurrentState, flow.StateSince, flow.StuckSince, flow.SourceSystem, flow.ExternalDealId,
        flow.DealName, flow.CustomerExternalId, flow.Amount, flow.Currency, flow.BillingModel, flow.WonAt, flow.OwnerEmail, flow.BusinessUnit,
        flow.Region, flow.CustomerId, flow.CustomerDisplayName, flow.CustomerReviewReasons.ToList(), flow.CustomerReadyAt,
        flow.Hold == HoldReason.None ? null : new HoldView(flow.Hold.ToString(), flow.HoldDetails.ToList(), flow.HeldSince),
        flow.Contract is null ? null : ContractView.From(flow.Contract, flow.Undrafted.Count),
        flow.Invoices.Select(InvoiceView.From).ToList(),
        flow.Adjustments.Select(AdjustmentView.From).ToList(),
        flow.Alerts.Select(a => new AlertView(a.At, a.Message)).ToList(),
        flow.CancelledAt, flow.ClosedAt, flow.Updated, flow.RepeatedWins,
        (flow.Contract?.TimeEntries ?? []).Select(TimeEntryView.From).ToList());
}

/// <summary>One time entry of the flow: what was logged, what billing made of it, and whether it is in QuickBooks as a TimeActivity.</summary>
public sealed record TimeEntryView(
    string EntryId,
    string Person,
    string? Role,
    DateOnly Date,
    decimal Hours,
    bool Billable,
    string Status,
    string? BilledIn,
    DateTime? TimeActivityRequestedAt,
    string? AccountingTimeActivityId,
    DateTime? TimeActivityPostedAt)
{
    public static TimeEntryView From(LoggedTime entry) => new(entry.EntryId, entry.Person, entry.Role, entry.Date, entry.Hours, entry.Billable,
        entry.Status.ToString(), entry.BilledIn, entry.TimeActivityRequestedAt, entry.AccountingTimeActivityId, entry.TimeActivityPostedAt);
}

/// <summary>Why a flow is held, in finance's words, and since when.</summary>
public sealed record HoldView(string Reason, IReadOnlyList<string> Details, DateTime? Since);

public sealed record AlertView(DateTime At, string Message);

/// <summary>The contract's billing position: what it is worth, what has been billed, what waits, the retainer balance.</summary>
public sealed record ContractView(
    string Model,
    decimal ContractValue,
    decimal Billed,
    decimal? NotToExceed,
    bool CapReached,
    decimal? RetainerBalance,
    DateOnly? NextChargeOn,
    bool FullyBilled,
    int ChargesWaitingToBeDrafted,
    decimal BillableHoursLogged,
    decimal BillableHoursOpen,
    decimal NonBillableHoursLogged,
    DateOnly? CompletedOn)
{
    public static ContractView From(ContractLedger ledger, int undrafted) => new(
        ledger.Model.ToString(), ledger.ContractValue, ledger.Billed, ledger.NotToExceed, ledger.CapReached, ledger.Retainer?.Balance,
        BillingContract.NextDue(ledger), BillingContract.IsFullyBilled(ledger), undrafted,
        ledger.TimeEntries.Where(e => e.Billable).Sum(e => e.Hours),
        ledger.TimeEntries.Where(e => e.Billable && e.Status == TimeEntryStatus.Open).Sum(e => e.Hours),
        ledger.TimeEntries.Where(e => !e.Billable).Sum(e => e.Hours),
        ledger.CompletedOn);
}

/// <summary>One invoice of a flow: its draft, mode, approval, posting and payment position.</summary>
public sealed record InvoiceView(
    Guid InvoiceId,
    string Key,
    string Kind,
    string Status,
    string Mode,
    DateOnly InvoiceDate,
    DateOnly DueDate,
    string? PaymentTerms,
    string? DocNumber,
    string? PurchaseOrder,
    string PrivateNote,
    string? CustomerMemo,
    decimal Total,
    decimal Balance,
    decimal Paid,
    decimal UnappliedCredit,
    decimal Credited,
    IReadOnlyList<InvoiceLineView> Lines,
    IReadOnlyList<ApprovalReasonView> ApprovalReasons,
    DateTime? ApprovalDueAt,
    bool ApprovalSlaBreached,
    string? RequestedBy,
    string? DecidedBy,
    DateTime? DecidedAt,
    string? DecisionNote,
    string? AccountingInvoiceId,
    DateTime DraftedAt,
    DateTime? PostedAt,
    DateTime? SentAt,
    DateTime? PaidAt,
    string? FailureKind,
    string? FailureMessage,
    IReadOnlyList<string> Notes,
    DateTime? SendRequestedAt,
    DateTime? VoidedAt,
    bool DeletedInAccounting,
    DateTime? PastDue30Since)
{
    public static InvoiceView From(FlowInvoice invoice)
    {
        var draft = invoice.Draft;
        return new InvoiceView(draft.InvoiceId, draft.Key, draft.Kind.ToString(), invoice.Status.ToString(), invoice.Mode.ToString(),
            draft.InvoiceDate, invoice.DueDate(), draft.PaymentTerms, invoice.DocNumber ?? draft.DocNumber, draft.PurchaseOrder, draft.PrivateNote,
            draft.CustomerMemo, draft.Total, invoice.Balance, invoice.Paid, invoice.UnappliedCredit, invoice.Credited,
            draft.Lines.Select(l => new InvoiceLineView(l.Description, l.ItemRef, l.ProductKey, l.Quantity, l.UnitPrice, l.DiscountPercent, l.Amount,
                l.TaxCodeRef, l.ServiceFrom, l.ServiceTo, l.ClassRef, l.Manual)).ToList(),
            invoice.ApprovalReasons.Select(r => new ApprovalReasonView(r.Code, r.Message, r.Standard, r.Actual, r.Difference)).ToList(),
            invoice.ApprovalDueAt, invoice.ApprovalSlaBreached, invoice.RequestedBy, invoice.DecidedBy, invoice.DecidedAt, invoice.DecisionNote,
            invoice.AccountingInvoiceId, invoice.DraftedAt, invoice.PostedAt, invoice.SentAt, invoice.PaidAt, invoice.FailureKind,
            invoice.FailureMessage, draft.Notes.ToList(), invoice.SendRequestedAt, invoice.VoidedAt, invoice.DeletedInAccounting, invoice.PastDue30Since);
    }
}

public sealed record InvoiceLineView(string Description, string ItemRef, string? ProductKey, decimal Quantity, decimal UnitPrice,
    decimal DiscountPercent, decimal Amount, string? TaxCode, DateOnly? ServiceFrom, DateOnly? ServiceTo, string? ClassRef, bool Manual);

/// <summary>Why an invoice needs approval, with the difference from the tenant's standard.</summary>
public sealed record ApprovalReasonView(string Code, string Message, string? Standard, string? Actual, string? Difference);
