namespace QuoteToCash.AccountingSync.Domain;

/// <summary>QuickBooks Online's per-realm limits, and how the governor keeps clear of them.</summary>
public sealed class QboLimits
{
    public int RequestsPerMinute { get; set; } = 500;
    public int ConcurrentRequests { get; set; } = 10;
    public int BatchesPerMinute { get; set; } = 40;
    public int MaxBatchItems { get; set; } = 30;
    /// <summary>The limits' window; one minute in production, shorter in tests.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Added to the window so clock and network skew cannot put one request too many into QuickBooks' own window.</summary>
    public TimeSpan SafetyMargin { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>The pause after a 429 when no Retry-After says otherwise; QuickBooks asks for 60 s.</summary>
    public TimeSpan ThrottleBackoff { get; set; } = TimeSpan.FromSeconds(60);
}
