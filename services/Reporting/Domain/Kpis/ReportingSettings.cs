namespace QuoteToCash.Reporting.Domain.Kpis;

/// <summary>What finance configures for a tenant's reports: targets, who owns each queue and data domain, and cost rates.</summary>
public sealed class ReportingSettings
{
    public string TenantId { get; set; } = string.Empty;
    public List<KpiTarget> Targets { get; set; } = [];
    public DateTimeOffset? TargetsUpdatedAt { get; set; }
    public List<RaciEntry> Ownership { get; set; } = [];
    public DateTimeOffset? OwnershipUpdatedAt { get; set; }
    public CostRates CostRates { get; set; } = new();
}

/// <summary>A metric's baseline and target.</summary>
public sealed class KpiTarget
{
    public string Metric { get; set; } = string.Empty;
    public decimal BaselineValue { get; set; }
    public DateOnly BaselineDate { get; set; }
    public decimal TargetValue { get; set; }
    public DateOnly TargetBy { get; set; }
}

/// <summary>Who is responsible, accountable, consulted and informed for one queue or data domain.</summary>
public sealed class RaciEntry
{
    public string Area { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public List<string> Responsible { get; set; } = [];
    public string? Accountable { get; set; }
    public List<string> Consulted { get; set; } = [];
    public List<string> Informed { get; set; } = [];
}

/// <summary>The queues and data domains a RACI can be set for.</summary>
public static class OwnershipAreas
{
    public static readonly IReadOnlyList<(string Area, string Name)> All =
    [
        ("queue", "sync-exceptions"), ("queue", "master-data-reviews"), ("queue", "approvals"),
        ("domain", "customers"), ("domain", "items"), ("domain", "invoices"), ("domain", "payments"),
    ];
}

/// <summary>The metrics a target can be set on, how each is measured today, and which way is better.</summary>
public static class KpiMetrics
{
    /// <summary>How many days back from today "today's value" looks (the window ends today).</summary>
    public const int TodayWindowDays = 30;

    /// <param name="LowerIsBetter">True when going down is progress (cycle time, DSO, error rates).</param>
    public sealed record Metric(string Key, string Label, string Unit, bool LowerIsBetter, Func<KpiCalculator, decimal?> Measure);

    public static readonly IReadOnlyList<Metric> All =
    [
        new("invoice-cycle-time-p50-days", "Invoice cycle time, won → sent (p50)", "days", true, c => c.Process().InvoiceCycleTime.P50Days),
        new("invoice-cycle-time-p90-days", "Invoice cycle time, won → sent (p90)", "days", true, c => c.Process().InvoiceCycleTime.P90Days),
        new("won-to-cash-p50-days", "Won-to-cash (p50)", "days", true, c => c.Cash().WonToCash.P50Days),
        new("dso-simple-days", "DSO (simple)", "days", true, c => c.Dso().Simple.Days),
        new("dso-countback-days", "DSO (countback)", "days", true, c => c.Dso().Countback.Days),
        new("billing-error-rate-percent", "Billing error rate", "%", true, c => c.BillingErrorRate().RatePercent),
        new("duplicate-customer-rate-percent", "Duplicate-customer creation rate", "%", true, c => c.DuplicateCustomers().RatePercent),
        new("duplicate-customers-flagged", "Duplicate customers created", "customers", true, c => c.DuplicateCustomers().FlaggedAsDuplicate),
        new("approval-turnaround-p50-days", "Approval turnaround (p50)", "days", true, c => c.ApprovalTurnaround().Turnaround.P50Days),
        new("open-sync-exceptions", "Open sync exceptions", "exceptions", true, c => c.SyncExceptions().OpenAtEnd),
        new("collected-within-terms-percent", "Invoices paid within terms", "%", false, c => c.CollectedWithinTerms().CountPercent),
        new("cei-percent", "Collection Effectiveness Index", "%", false, c => c.Cei().Percent),
    ];

    public static Metric? Find(string key) => All.FirstOrDefault(m => string.Equals(m.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Progress = (baseline − today) ÷ (baseline − target) × 100. On track when progress is at least the share of the time from
    /// baseline date to target date that has passed.
    /// </summary>
    public static (decimal? Progress, bool? OnTrack) Progress(KpiTarget target, decimal? today, DateOnly day)
    {
        if (today is null || target.BaselineValue == target.TargetValue)
            return (null, null);
        var progress = Math.Round((target.BaselineValue - today.Value) / (target.BaselineValue - target.TargetValue) * 100m, 2, MidpointRounding.AwayFromZero);
        var span = target.TargetBy.DayNumber - target.BaselineDate.DayNumber;
        var elapsed = span <= 0 ? 1m : Math.Clamp((decimal)(day.DayNumber - target.BaselineDate.DayNumber) / span, 0m, 1m);
        return (progress, progress >= elapsed * 100m);
    }
}
