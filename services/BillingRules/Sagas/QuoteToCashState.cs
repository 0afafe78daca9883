using MassTransit;
using QuoteToCash.BillingRules.Domain;

namespace QuoteToCash.BillingRules.Sagas;

/// <summary>One deal's journey from won to cash (BIL-5). CorrelationId is the deterministic flow ID.</summary>
public sealed class QuoteToCashState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }
    public int Version { get; set; }
    public string CurrentState { get; set; } = string.Empty;

    public string TenantId { get; set; } = string.Empty;
    public string SourceSystem { get; set; } = string.Empty;
    public string ExternalDealId { get; set; } = string.Empty;
    public string DealName { get; set; } = string.Empty;
    public string CustomerExternalId { get; set; } = string.Empty;
    public string Currency { get; set; } = string.Empty;
    public decimal Amount { get; set; }
    public string BillingModel { get; set; } = string.Empty;
    public DateTime WonAt { get; set; }
    public string? DealPaymentTerms { get; set; }
    public string? BusinessUnit { get; set; }
    public string? Region { get; set; }
    /// <summary>The deal owner in the CRM; segregation of duties keeps them from approving their own deal's invoices.</summary>
    public string? OwnerEmail { get; set; }
    /// <summary>The deal's billing contact's e-mail (from the won deal's customer); invoices are e-mailed to it when the policy says so.</summary>
    public string? BillingEmail { get; set; }

    public Guid? CustomerId { get; set; }
    public string? CustomerDisplayName { get; set; }
    public string? AccountingCustomerRef { get; set; }
    public string? CustomerPaymentTerms { get; set; }
    public string? CustomerCurrency { get; set; }
    public bool TaxExempt { get; set; }
    public List<string> CustomerReviewReasons { get; set; } = [];
    public DateTime? CustomerReadyAt { get; set; }

    /// <summary>The contract's billing state: plan, periods, time, retainer balance, what has been billed.</summary>
    public ContractLedger? Contract { get; set; }
    /// <summary>Charges the contract made due that are not drafted yet (the customer or a mapping is not ready).</summary>
    public List<DueInvoice> Undrafted { get; set; } = [];
    public List<FlowInvoice> Invoices { get; set; } = [];
    /// <summary>Who asked for each manual charge (by its due-invoice key): the requester approval keeps apart from the approver.</summary>
    public Dictionary<string, string> ManualRequesters { get; set; } = [];
    /// <summary>Credits, write-offs and refunds made on the flow's invoices.</summary>
    public List<Adjustment> Adjustments { get; set; } = [];
    /// <summary>Milestones and time that arrived before the won deal; replayed when it comes.</summary>
    public List<EarlyEvent> EarlyEvents { get; set; } = [];
    /// <summary>Things finance should know that did not stop the flow (a cap reached, an unknown milestone, a late entry).</summary>
    public List<FlowAlert> Alerts { get; set; } = [];

    public HoldReason Hold { get; set; }
    public List<string> HoldDetails { get; set; } = [];
    public DateTime? HeldSince { get; set; }
    /// <summary>The hold last announced with <c>FlowHoldChanged</c> (None when its lifting was announced, or nothing ever held).</summary>
    public HoldReason AnnouncedHold { get; set; }
    public List<string> AnnouncedHoldDetails { get; set; } = [];

    /// <summary>When the flow entered its current state.</summary>
    public DateTime StateSince { get; set; }
    /// <summary>Set when the flow stayed in its state longer than expected; cleared when it moves.</summary>
    public DateTime? StuckSince { get; set; }
    public DateTime? ReopenedAt { get; set; }
    public DateTime? CancelledAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public DateTime Updated { get; set; }
    /// <summary>Won-deal events seen again after the first (CRM re-deliveries, re-wins).</summary>
    public int RepeatedWins { get; set; }
}

/// <summary>One invoice of a flow: the draft, its mode, approval, posting and payment.</summary>
public sealed class FlowInvoice
{
    public InvoiceDraft Draft { get; set; } = new();
    public InvoiceStatus Status { get; set; }
    public BillingMode Mode { get; set; }
    public DateTime DraftedAt { get; set; }
    public List<ApprovalReason> ApprovalReasons { get; set; } = [];
    /// <summary>Who asked for this invoice: the deal owner for contract charges, the user for manual ones.</summary>
    public string? RequestedBy { get; set; }
    public DateTime? ApprovalDueAt { get; set; }
    public bool ApprovalSlaBreached { get; set; }
    public string? DecidedBy { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? DecisionNote { get; set; }
    public string? AccountingInvoiceId { get; set; }
    public string? DocNumber { get; set; }
    public decimal Balance { get; set; }
    public decimal Paid { get; set; }
    /// <summary>Paid beyond the invoice total, or credited beyond its balance: kept as the customer's credit.</summary>
    public decimal UnappliedCredit { get; set; }
    /// <summary>Credit memos applied to this invoice.</summary>
    public decimal Credited { get; set; }
    public DateTime? PostedAt { get; set; }
    public DateTime? SentAt { get; set; }
    public DateTime? PaidAt { get; set; }
    public string? FailureKind { get; set; }
    public string? FailureMessage { get; set; }
    public int PostingAttempts { get; set; }
    /// <summary>The due date QuickBooks holds (it moves with the invoice date out of a closed period); null before posting.</summary>
    public DateOnly? AccountingDueDate { get; set; }
    /// <summary>When the saga asked QuickBooks to e-mail the invoice (<c>SendInvoice</c>); set once, so it is asked once.</summary>
    public DateTime? SendRequestedAt { get; set; }
    /// <summary>When the invoice was found still owing 30 days after its due date; it counts against the customer's standing while it owes.</summary>
    public DateTime? PastDue30Since { get; set; }
    /// <summary>Whether the customer's standing record was last told this invoice is more than 30 days late.</summary>
    public bool PastDue30Announced { get; set; }
    /// <summary>Voided (or deleted) in QuickBooks by someone working there.</summary>
    public DateTime? VoidedAt { get; set; }
    public bool DeletedInAccounting { get; set; }
    /// <summary>The status, balance due and paid date last announced to the CRM (<c>InvoiceStatusChanged</c>); null before any.</summary>
    public string? AnnouncedStatus { get; set; }
    public decimal AnnouncedBalance { get; set; }
    public DateOnly? AnnouncedPaidDate { get; set; }

    /// <summary>The due date that counts: QuickBooks' once posted, else the draft's.</summary>
    public DateOnly DueDate() => AccountingDueDate ?? Draft.DueDate;
}

/// <summary>A milestone or a time entry that arrived before its deal.</summary>
public sealed class EarlyEvent
{
    public string Kind { get; set; } = string.Empty;
    public string Key { get; set; } = string.Empty;
    public string? Name { get; set; }
    public decimal? Percent { get; set; }
    public decimal? Amount { get; set; }
    public DateOnly On { get; set; }
    public string? Person { get; set; }
    public string? Role { get; set; }
    public decimal Hours { get; set; }
    public bool Billable { get; set; }
    public decimal? Rate { get; set; }
    public string? Description { get; set; }
}

public sealed class FlowAlert
{
    public DateTime At { get; set; }
    public string Message { get; set; } = string.Empty;
}
