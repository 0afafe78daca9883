namespace QuoteToCash.CrmIngest.Infrastructure.Backfill;

public enum BackfillStatus
{
    Running,
    Completed,
    Failed,
}

/// <summary>
/// An initial import of a tenant's existing companies and deals (ING-7). It advances one page at a time, and
/// each page's events and the new cursor commit together, so a restart resumes exactly where it stopped.
/// </summary>
public sealed class BackfillJob
{
    public const string CollectionName = "backfill-jobs";
    public static readonly string[] Phases = ["companies", "deals"];

    public string TenantId { get; set; } = string.Empty;
    public Guid JobId { get; set; }
    public BackfillStatus Status { get; set; }
    /// <summary>"companies", then "deals", then "done".</summary>
    public string Phase { get; set; } = Phases[0];
    public string? Cursor { get; set; }
    public long Total { get; set; }
    public long Processed { get; set; }
    public DateTime Started { get; set; }
    public DateTime Updated { get; set; }
    public DateTime? Completed { get; set; }
    public string? Error { get; set; }
    public int ConsecutiveFailures { get; set; }
    /// <summary>The trace of the request that started the import; each page's trace links to it.</summary>
    public QuoteToCash.ServiceDefaults.Telemetry.StoredTraceContext? Trace { get; set; }
}
