using System.Diagnostics.Metrics;

namespace QuoteToCash.ServiceDefaults.Telemetry;

/// <summary>
/// The business measures of the quote-to-cash flow, recorded where the flow learns them (billing-rules' saga, once per
/// invoice, when QuickBooks' answer reaches it).
/// </summary>
public static class FlowMetrics
{
    public const string MeterName = "QuoteToCash.Flow";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Posted = Meter.CreateCounter<long>("q2c.invoices.posted", unit: "{invoice}",
        description: "Invoices QuickBooks accepted, by tenant");

    /// <summary>
    /// Buckets (seconds) of <c>q2c.flow.won_to_posted</c>, from "seconds, as designed" to "held for a day": the flow's target
    /// is seconds, a hold for finance takes hours. OpenTelemetry's default buckets stop at 10 s steps that suit milliseconds.
    /// </summary>
    public static readonly double[] WonToPostedBuckets = [0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 14400, 86400];

    private static readonly Histogram<double> WonToPosted = Meter.CreateHistogram("q2c.flow.won_to_posted", unit: "s",
        description: "Time from the deal's win in the CRM to its first invoice in QuickBooks",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WonToPostedBuckets });

    /// <summary>
    /// An invoice of the flow was posted. <paramref name="wonAt"/> (UTC, as sagas store it) is given for the flow's first
    /// posted invoice only: later invoices (milestones, months of a retainer) are due long after the win by design and would
    /// drown the measure.
    /// </summary>
    public static void InvoicePosted(string tenantId, DateTimeOffset postedAt, DateTime? wonAt)
    {
        Posted.Add(1, new KeyValuePair<string, object?>("tenant", tenantId));
        if (wonAt is not { } won || won == default)
            return;
        var wonUtc = won.Kind == DateTimeKind.Local ? won.ToUniversalTime() : DateTime.SpecifyKind(won, DateTimeKind.Utc);
        var latency = postedAt.UtcDateTime - wonUtc;
        if (latency >= TimeSpan.Zero)
            WonToPosted.Record(latency.TotalSeconds);
    }
}
