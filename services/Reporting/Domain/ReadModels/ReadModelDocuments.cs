namespace QuoteToCash.Reporting.Domain.ReadModels;

/// <summary>The collections of reporting's typed read models; every document carries its tenant and the moment it last changed.</summary>
public static class ReadModelCollections
{
    public const string Deals = "report-deals";
    public const string Invoices = "report-invoices";
    public const string Customers = "report-customers";
    public const string Exceptions = "report-exceptions";
    /// <summary>Every event reporting consumed, as received: what a rebuild replays.</summary>
    public const string Facts = "report-facts";
    public const string Settings = "report-settings";
}

/// <summary>What every read-model document has: its tenant and a change stamp (UTC ticks) that the KPI cache compares.</summary>
public abstract class ReadModelDocument
{
    public string TenantId { get; set; } = string.Empty;
    public long UpdatedTicks { get; set; }
}

/// <summary>One deal (flow): what was booked, when, where, how it is billed, and the time worked on it.</summary>
public sealed class DealFact : ReadModelDocument
{
    public Guid FlowId { get; set; }
    public string? DealName { get; set; }
    public Guid? CustomerId { get; set; }
    public string? CustomerName { get; set; }
    public string? BusinessUnit { get; set; }
    public string? Region { get; set; }
    /// <summary>The customer segment the CRM gives the deal (<c>DealWon.Segment</c>), when it has one.</summary>
    public string? Segment { get; set; }
    public string? BillingModel { get; set; }
    public string? Currency { get; set; }
    /// <summary>The amount as won (bookings of the month it was won).</summary>
    public decimal WonAmount { get; set; }
    /// <summary>The amount after the latest change.</summary>
    public decimal Amount { get; set; }
    public DateTimeOffset? WonAt { get; set; }
    public DateTimeOffset? LostAt { get; set; }
    public decimal? RetainerDeposit { get; set; }
    public string? SubscriptionInterval { get; set; }
    /// <summary>Hourly rates by role from the deal's rate card (for retainer drawdown).</summary>
    public Dictionary<string, decimal> RoleRates { get; set; } = [];
    public List<DealChangeFact> Changes { get; set; } = [];
    public List<TimeEntryFact> TimeEntries { get; set; } = [];
}

/// <summary>A change of a won deal's amount (scope change or expansion).</summary>
public sealed class DealChangeFact
{
    public DateTimeOffset At { get; set; }
    public decimal AmountBefore { get; set; }
    public decimal AmountAfter { get; set; }
    public bool IsExpansion { get; set; }
}

/// <summary>Time logged on a deal's project.</summary>
public sealed class TimeEntryFact
{
    public string EntryId { get; set; } = string.Empty;
    public string Person { get; set; } = string.Empty;
    public string? Role { get; set; }
    public DateOnly Date { get; set; }
    public decimal Hours { get; set; }
    public bool Billable { get; set; }
    public decimal? Rate { get; set; }
}

/// <summary>One invoice: its dates, total, and every payment, reversal, credit and void, each with its date and amount.</summary>
public sealed class InvoiceFact : ReadModelDocument
{
    public Guid InvoiceId { get; set; }
    public Guid FlowId { get; set; }
    public Guid? CustomerId { get; set; }
    public string? DocNumber { get; set; }
    public string? Currency { get; set; }
    public decimal Total { get; set; }
    public DateOnly? InvoiceDate { get; set; }
    public DateOnly? DueDate { get; set; }
    public DateTimeOffset? DraftedAt { get; set; }
    public DateTimeOffset? PostedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? VoidedAt { get; set; }
    /// <summary>When the approval wait began, on billing's clock (<c>InvoiceDrafted.DraftedAt</c> or the decision's <c>RequestedAt</c>).</summary>
    public DateTimeOffset? ApprovalRequestedAt { get; set; }
    /// <summary>When it was approved or rejected (<c>InvoiceApprovalRecorded</c>); before that event arrives, when it was posted.</summary>
    public DateTimeOffset? ApprovalDecidedAt { get; set; }
    /// <summary>"Approved" or "Rejected" once billing recorded the decision; null while undecided or decided only by a posting seen.</summary>
    public string? ApprovalDecision { get; set; }
    public string? ApprovalDecidedBy { get; set; }
    /// <summary>The latest status billing announced (Draft, Awaiting approval, Posted, Sent, Partially paid, Paid, Overdue, Voided).</summary>
    public string? Status { get; set; }
    public DateTimeOffset? StatusChangedAt { get; set; }
    public List<MoneyMovementFact> Payments { get; set; } = [];
    public List<MoneyMovementFact> Reversals { get; set; } = [];
    public List<CreditFact> Credits { get; set; } = [];

    /// <summary>Whole days of payment terms (due date − invoice date), when both are known.</summary>
    public int? TermsDays { get; set; }
}

/// <summary>A payment or a payment reversal.</summary>
public sealed class MoneyMovementFact
{
    public string Id { get; set; } = string.Empty;
    public DateTimeOffset At { get; set; }
    public decimal Amount { get; set; }
}

/// <summary>A credit applied to an invoice: a credit memo (a billing error) or a write-off.</summary>
public sealed class CreditFact
{
    /// <summary>QuickBooks' credit memo ID (the same whether it came as a posted memo or as an applied credit on the payment feed).</summary>
    public string Id { get; set; } = string.Empty;
    public DateTimeOffset At { get; set; }
    public decimal Amount { get; set; }
    public decimal Applied { get; set; }
    public bool WriteOff { get; set; }
}

/// <summary>One golden customer as reporting knows it: when it appeared, whether master data doubted it, its standing.</summary>
public sealed class CustomerFact : ReadModelDocument
{
    public Guid CustomerId { get; set; }
    public string? Name { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
    public Guid? FirstFlowId { get; set; }
    public DateTimeOffset? DuplicateFlaggedAt { get; set; }
    public List<string> ReviewReasons { get; set; } = [];
    public string? Standing { get; set; }
    public DateTimeOffset? StandingChangedAt { get; set; }
    /// <summary>The customer it was merged into (<c>CustomersMerged</c>), when finance merged it away as a duplicate.</summary>
    public Guid? MergedInto { get; set; }
    public DateTimeOffset? MergedAt { get; set; }
    public string? MergedBy { get; set; }
}

/// <summary>
/// A record of accounting-sync's exception queue (<c>SyncExceptionOpened</c>, <c>SyncExceptionClosed</c>): what, for which
/// entity and flow, who owns it, its SLA, and when it was opened and closed (resolved or ignored).
/// </summary>
public sealed class ExceptionFact : ReadModelDocument
{
    public string Key { get; set; } = string.Empty;
    public Guid ExceptionId { get; set; }
    public Guid? FlowId { get; set; }
    public string? DealRef { get; set; }
    public string Kind { get; set; } = string.Empty;
    public string? RootCause { get; set; }
    public string? Entity { get; set; }
    public string? EntityId { get; set; }
    public string? Operation { get; set; }
    public string? Owner { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset? SlaDue { get; set; }
    /// <summary>When it left the queue (resolved or ignored); null while open or assigned.</summary>
    public DateTimeOffset? ResolvedAt { get; set; }
    /// <summary>Open until closed, then Resolved or Ignored.</summary>
    public string Status { get; set; } = "Open";
    public string? ClosedBy { get; set; }
    public bool ResolvedAutomatically { get; set; }
}

/// <summary>One event as reporting received it; the read models are a function of these, replayed in order.</summary>
public sealed class StoredFact
{
    public string TenantId { get; set; } = string.Empty;
    /// <summary>The contract's full type name.</summary>
    public string Type { get; set; } = string.Empty;
    public string Json { get; set; } = string.Empty;
    /// <summary>When reporting received it (UTC ticks) and a tie-breaker: replay order.</summary>
    public long ReceivedTicks { get; set; }
}
