namespace QuoteToCash.BillingRules.Domain;

/// <summary>Where a deal's quote-to-cash flow stands; each is a state of the saga.</summary>
public enum FlowStage
{
    /// <summary>Time entries or milestones arrived before the won deal itself; they are kept until it comes.</summary>
    AwaitingDeal,
    AwaitingCustomer,
    CustomerOnHold,
    /// <summary>The customer is billable and the contract runs, but nothing is due and nothing is scheduled.</summary>
    ContractActive,
    /// <summary>Nothing is open; the contract has a dated next charge (an instalment, a period end, a renewal).</summary>
    InvoicesScheduled,
    /// <summary>Invoices were drafted and are kept, not posted (parallel run).</summary>
    Drafted,
    AwaitingApproval,
    Posting,
    Posted,
    Sent,
    PartiallyPaid,
    Overdue,
    /// <summary>Everything invoiced so far is paid; the contract may bill again.</summary>
    Paid,
    /// <summary>The contract is fully billed and every invoice is settled.</summary>
    Closed,
    Cancelled,
    HeldForMapping,
    HeldForClosedBooks,
    HeldForPostingFailure,
    HeldForCurrency,
    HeldReopened,
    HeldAfterLoss,
}

/// <summary>Why a flow is held; each reason has its own held stage, and finance sees it with its details.</summary>
public enum HoldReason
{
    None,
    /// <summary>A product on the invoice has no accounting item mapping and the tenant has no default item.</summary>
    MappingMissing,
    /// <summary>The invoice date falls in a period QuickBooks has closed, and the tenant holds such invoices for finance.</summary>
    ClosedBooks,
    /// <summary>QuickBooks refused the invoice for a reason a retry cannot fix.</summary>
    PostingFailed,
    /// <summary>The customer's currency differs from the deal's.</summary>
    CurrencyMismatch,
    /// <summary>The deal was moved back to an open stage in the CRM.</summary>
    DealReopened,
    /// <summary>The deal was lost after invoices were posted: finance decides on credits.</summary>
    DealLostAfterInvoicing,
}

/// <summary>How one invoice of a flow stands.</summary>
public enum InvoiceStatus
{
    /// <summary>Drafted and kept (parallel run), or drafted and waiting for the flow to be released.</summary>
    Drafted,
    AwaitingApproval,
    Rejected,
    Posting,
    Posted,
    Sent,
    PartiallyPaid,
    Overdue,
    Paid,
    Voided,
    Held,
    /// <summary>Cancelled before it reached QuickBooks (the deal was lost or reopened).</summary>
    Withdrawn,
    /// <summary>Settled by credit memos (or written off) rather than paid.</summary>
    Credited,
}

/// <summary>The facts the flow's stage is read from.</summary>
public sealed record FlowFacts(
    bool DealKnown,
    bool CustomerReady,
    bool CustomerOnHold,
    bool Cancelled,
    HoldReason Hold,
    IReadOnlyList<InvoiceStatus> Invoices,
    bool FullyBilled,
    bool HasScheduledCharge,
    bool HasUndraftedCharges);

/// <summary>Reads a flow's stage from its facts. Pure, so every rule is a unit test.</summary>
public static class FlowStages
{
    private static readonly InvoiceStatus[] Open = [InvoiceStatus.Posted, InvoiceStatus.Sent, InvoiceStatus.PartiallyPaid, InvoiceStatus.Overdue];

    public static FlowStage Of(FlowFacts facts)
    {
        if (facts.Cancelled)
            return FlowStage.Cancelled;
        if (!facts.DealKnown)
            return FlowStage.AwaitingDeal;
        switch (facts.Hold)
        {
            case HoldReason.MappingMissing: return FlowStage.HeldForMapping;
            case HoldReason.ClosedBooks: return FlowStage.HeldForClosedBooks;
            case HoldReason.PostingFailed: return FlowStage.HeldForPostingFailure;
            case HoldReason.CurrencyMismatch: return FlowStage.HeldForCurrency;
            case HoldReason.DealReopened: return FlowStage.HeldReopened;
            case HoldReason.DealLostAfterInvoicing: return FlowStage.HeldAfterLoss;
        }
        if (!facts.CustomerReady)
            return facts.CustomerOnHold ? FlowStage.CustomerOnHold : FlowStage.AwaitingCustomer;

        var invoices = facts.Invoices;
        if (invoices.Contains(InvoiceStatus.AwaitingApproval))
            return FlowStage.AwaitingApproval;
        if (invoices.Contains(InvoiceStatus.Posting))
            return FlowStage.Posting;
        if (invoices.Contains(InvoiceStatus.Overdue))
            return FlowStage.Overdue;
        if (invoices.Contains(InvoiceStatus.PartiallyPaid))
            return FlowStage.PartiallyPaid;
        if (invoices.Contains(InvoiceStatus.Posted))
            return FlowStage.Posted;
        if (invoices.Contains(InvoiceStatus.Sent))
            return FlowStage.Sent;
        if (invoices.Contains(InvoiceStatus.Drafted))
            return FlowStage.Drafted;
        if (invoices.Contains(InvoiceStatus.Paid) || invoices.Contains(InvoiceStatus.Credited))
            return facts.FullyBilled && !facts.HasUndraftedCharges ? FlowStage.Closed : FlowStage.Paid;
        if (facts.FullyBilled && !facts.HasUndraftedCharges && invoices.Count > 0 && invoices.All(s => s is InvoiceStatus.Voided or InvoiceStatus.Rejected or InvoiceStatus.Withdrawn))
            return FlowStage.Closed;
        return facts.HasScheduledCharge ? FlowStage.InvoicesScheduled : FlowStage.ContractActive;
    }

    /// <summary>True for invoices that still owe money in QuickBooks.</summary>
    public static bool IsOpen(InvoiceStatus status) => Open.Contains(status);

    /// <summary>How long a flow may stay in a stage before it counts as stuck; null for stages that wait on the customer's own time.</summary>
    public static TimeSpan? ExpectedWithin(FlowStage stage, StuckThresholds thresholds) => stage switch
    {
        FlowStage.AwaitingDeal => TimeSpan.FromMinutes(thresholds.AwaitingDealMinutes),
        FlowStage.AwaitingCustomer => TimeSpan.FromMinutes(thresholds.AwaitingCustomerMinutes),
        FlowStage.CustomerOnHold => TimeSpan.FromMinutes(thresholds.HeldMinutes),
        FlowStage.AwaitingApproval => TimeSpan.FromMinutes(thresholds.AwaitingApprovalMinutes),
        FlowStage.Posting => TimeSpan.FromMinutes(thresholds.PostingMinutes),
        FlowStage.HeldForMapping or FlowStage.HeldForClosedBooks or FlowStage.HeldForPostingFailure or FlowStage.HeldForCurrency
            or FlowStage.HeldReopened or FlowStage.HeldAfterLoss => TimeSpan.FromMinutes(thresholds.HeldMinutes),
        _ => null,
    };
}

/// <summary>How long each waiting stage may last, in minutes, before the flow is reported stuck (tenant policy).</summary>
public sealed class StuckThresholds
{
    public int AwaitingDealMinutes { get; set; } = 60;
    public int AwaitingCustomerMinutes { get; set; } = 60;
    public int AwaitingApprovalMinutes { get; set; } = 48 * 60;
    public int PostingMinutes { get; set; } = 30;
    public int HeldMinutes { get; set; } = 24 * 60;
}
