namespace QuoteToCash.WebApp.Models;

// What billing-rules answers (services/BillingRules/Apis/*.cs), as the pages read it.

public sealed record ApprovalReason(string Code, string Message, string? Standard, string? Actual, string? Difference);

public sealed record InvoiceLine(string Description, string ItemRef, decimal Quantity, decimal UnitPrice, decimal DiscountPercent, decimal Amount, bool Manual);

/// <summary>One invoice of a flow.</summary>
public sealed record Invoice(Guid InvoiceId, string Key, string Kind, string Status, string Mode, DateOnly InvoiceDate, DateOnly DueDate,
    string? PaymentTerms, string? DocNumber, decimal Total, decimal Balance, decimal Paid, IReadOnlyList<InvoiceLine> Lines,
    IReadOnlyList<ApprovalReason> ApprovalReasons, DateTime? ApprovalDueAt, bool ApprovalSlaBreached, string? RequestedBy, string? DecidedBy,
    DateTime? DecidedAt, string? DecisionNote, string? AccountingInvoiceId, DateTime DraftedAt, DateTime? PostedAt, DateTime? SentAt, DateTime? PaidAt,
    string? FailureKind, string? FailureMessage);

/// <summary>An invoice waiting for a finance manager's decision.</summary>
public sealed record PendingApproval(Guid FlowId, string ExternalDealId, string DealName, string? CustomerDisplayName, string? DealOwner, Invoice Invoice);

public sealed record ApprovalDecision(Guid FlowId, Guid InvoiceId, string Decision, string By);

public sealed record Hold(string Reason, IReadOnlyList<string> Details, DateTime? Since);

public sealed record Alert(DateTime At, string Message);

/// <summary>One deal's quote-to-cash flow.</summary>
public sealed record Flow(Guid FlowId, string CurrentState, DateTime StateSince, DateTime? StuckSince, string SourceSystem, string ExternalDealId,
    string DealName, string CustomerExternalId, decimal Amount, string Currency, string BillingModel, DateTime WonAt, string? OwnerEmail,
    string? BusinessUnit, string? Region, Guid? CustomerId, string? CustomerDisplayName, Hold? Hold, IReadOnlyList<Invoice> Invoices,
    IReadOnlyList<Alert> Alerts, DateTime? ClosedAt, DateTime Updated);

public sealed record RolloutPolicy(string Mode, IReadOnlyList<string> BusinessUnits, IReadOnlyList<string> Regions, bool OnlyApprovedCustomers,
    decimal? MinimumAmount);

public sealed record ApprovalPolicy(decimal? MaxDiscountPercent, int? MaxNetDays, decimal? MaxAmount, bool ManualLinesNeedApproval, double SlaHours);

/// <summary>The tenant's billing policy: its mode (live, parallel run, sandbox) and standard terms.</summary>
public sealed record BillingPolicy(string TenantId, ApprovalPolicy Approval, RolloutPolicy Rollout, string StandardTerms, DateTime? Updated, string? UpdatedBy);

public static class BillingModes
{
    public static readonly IReadOnlyList<(string Value, string Words, string Meaning)> All =
    [
        ("Live", "Live", "Drafted invoices are posted to the tenant's QuickBooks company."),
        ("ParallelRun", "Parallel run", "Invoices are drafted but not posted; finance keeps invoicing by hand and compares."),
        ("Sandbox", "Sandbox", "Invoices are posted to a QuickBooks sandbox company."),
    ];

    public static string Words(string mode) => All.FirstOrDefault(m => string.Equals(m.Value, mode, StringComparison.OrdinalIgnoreCase)).Words ?? mode;
}
