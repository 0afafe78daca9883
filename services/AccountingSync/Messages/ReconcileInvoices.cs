namespace QuoteToCash.AccountingSync.Messages;

/// <summary>
/// accounting-sync to itself: compare every invoice posted for the tenant with QuickBooks (ACC-6). Sent by the daily job
/// (without a run ID: the run's ID derives from the job's message) and by <c>POST /api/accounting/{tenant}/reconciliation</c>
/// (with the ID of the run it created).
/// </summary>
public sealed record ReconcileInvoices
{
    public required string TenantId { get; init; }
    public Guid? RunId { get; init; }
    /// <summary>"daily", "on-demand" or "cdc-gap".</summary>
    public required string Trigger { get; init; }
    public string? RequestedBy { get; init; }
}
