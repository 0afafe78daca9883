using QuoteToCash.AccountingSync.Domain.Reconciliation;

namespace QuoteToCash.AccountingSync.Infrastructure.Reconciliation;

public enum ReconciliationStatus
{
    Queued,
    Completed,
    Failed,
}

/// <summary>One comparison of every invoice posted for a tenant with QuickBooks (ACC-6), and the drift it found.</summary>
public sealed class ReconciliationRun
{
    public const string CollectionName = "qbo-reconciliation-runs";

    public Guid RunId { get; set; }
    public string TenantId { get; set; } = string.Empty;
    /// <summary>"daily", "on-demand" or "cdc-gap".</summary>
    public string Trigger { get; set; } = string.Empty;
    public string? RequestedBy { get; set; }
    public ReconciliationStatus Status { get; set; }
    public DateTime Requested { get; set; }
    public DateTime? Finished { get; set; }
    public int InvoicesChecked { get; set; }
    /// <summary>The <c>Id IN (…)</c> queries it took.</summary>
    public int Queries { get; set; }
    public List<ReconciliationDrift> Drifts { get; set; } = [];
    /// <summary>Why the run could not finish, in finance's words.</summary>
    public string? Error { get; set; }
}

/// <summary>One invoice's difference from QuickBooks.</summary>
public sealed class ReconciliationDrift
{
    public Guid InvoiceId { get; set; }
    public Guid FlowId { get; set; }
    public string? DealRef { get; set; }
    public string AccountingInvoiceId { get; set; } = string.Empty;
    public string? DocNumber { get; set; }
    public DriftKind Kind { get; set; }
    public decimal? ExpectedAmount { get; set; }
    public decimal? ActualAmount { get; set; }
    public string? ExpectedValue { get; set; }
    public string? ActualValue { get; set; }
    public string Currency { get; set; } = string.Empty;
    public string Message { get; set; } = string.Empty;
}

/// <summary>The tenant's most recent run, for <c>…/reconciliation/latest</c>.</summary>
public sealed class LatestReconciliation
{
    public const string CollectionName = "qbo-reconciliation-latest";

    public string TenantId { get; set; } = string.Empty;
    public Guid RunId { get; set; }
}
