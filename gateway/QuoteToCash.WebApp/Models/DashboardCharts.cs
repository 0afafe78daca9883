using System.Globalization;
using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.WebApp.Charts;

namespace QuoteToCash.WebApp.Models;

/// <summary>The dashboard's four charts, made from the KPI API's view records (pure: the same records always draw the same chart).</summary>
public static class DashboardCharts
{
    /// <summary>The aging buckets in the order they are stacked, from not yet due to longest overdue.</summary>
    public static readonly IReadOnlyList<string> AgingBuckets = ["Current", "0-30", "31-60", "61-90", "90+"];

    public static LineChart CycleTime(CycleTimeTrendView trend)
    {
        var months = trend.Months.OrderBy(m => m.Month).ToList();
        return new LineChart("Invoice cycle time, won to sent", "Median (p50) and 90th percentile (p90) days from deal won to invoice sent, per month of sending.",
            "days", months.Select(m => Month(m.Month)).ToList(),
        [
            new ChartSeries("p50", months.Select(m => m.WonToSent.P50Days).ToList()),
            new ChartSeries("p90", months.Select(m => m.WonToSent.P90Days).ToList()),
        ]);
    }

    public static StackedBarChart Aging(AgingTrendView trend)
    {
        var snapshots = trend.Snapshots.OrderBy(s => s.AsOf).ToList();
        var buckets = AgingBuckets.Concat(snapshots.SelectMany(s => s.Buckets.Select(b => b.Bucket)).Where(b => !AgingBuckets.Contains(b)).Distinct()).ToList();
        return new StackedBarChart("Receivables aging", "Open receivables at each month end, stacked by days past due: current, 0–30, 31–60, 61–90 and over 90.",
            "amount", snapshots.Select(s => s.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList(),
            buckets.Select(bucket => new ChartSeries(bucket == "Current" ? "Current" : bucket + " days",
                snapshots.Select(s => (decimal?)(s.Buckets.FirstOrDefault(b => b.Bucket == bucket)?.Amount ?? 0m)).ToList())).ToList());
    }

    public static LineChart Dso(DsoTrendView trend)
    {
        var months = trend.Months.OrderBy(m => m.Month).ToList();
        return new LineChart("Days sales outstanding", "DSO at each month end by two methods: simple (receivables ÷ sales × days) and countback.",
            "days", months.Select(m => Month(m.Month)).ToList(),
        [
            new ChartSeries("simple", months.Select(m => m.SimpleDays).ToList()),
            new ChartSeries("countback", months.Select(m => m.CountbackDays).ToList()),
        ]);
    }

    /// <summary>The bridge over the whole range: bookings, the variances to billed by cause, billed, the variances to collected, collected.</summary>
    public static WaterfallChart Bridge(BridgeView bridge)
    {
        var t = bridge.Totals;
        var steps = new List<WaterfallStep> { new("Bookings", t.Bookings, WaterfallStepKind.Total) };
        steps.AddRange(Variances(t.BookingsToBilled));
        steps.Add(new WaterfallStep("Billed", t.Billed, WaterfallStepKind.Total));
        steps.AddRange(Variances(t.BilledToCollected));
        steps.Add(new WaterfallStep("Collected", t.Collected, WaterfallStepKind.Total));
        return new WaterfallChart("Pipeline to cash", "Bookings to billed to collected over the range, with each variance split into timing, scope change, churn and pricing.",
            "amount", steps);
    }

    /// <summary>The monthly bridge as a table (the waterfall shows the range's totals; the months are beside it).</summary>
    public static ChartTable BridgeMonths(BridgeView bridge) => new("Pipeline to cash by month",
        ["Month", "Bookings", "Billed", "Collected", "Timing (to billed)", "Scope change (to billed)", "Churn (to billed)", "Pricing (to billed)", "Timing (to collected)", "Churn (to collected)"],
        bridge.Months.OrderBy(m => m.Month).Select(m => (IReadOnlyList<string>)
        [
            Month(m.Month), ChartNumbers.Cell(m.Bookings), ChartNumbers.Cell(m.Billed), ChartNumbers.Cell(m.Collected),
            ChartNumbers.Cell(m.BookingsToBilled.Timing), ChartNumbers.Cell(m.BookingsToBilled.ScopeChange), ChartNumbers.Cell(m.BookingsToBilled.Churn),
            ChartNumbers.Cell(m.BookingsToBilled.Pricing), ChartNumbers.Cell(m.BilledToCollected.Timing), ChartNumbers.Cell(m.BilledToCollected.Churn),
        ]).ToList());

    /// <summary>True when the range holds nothing to chart at all: the dashboard then says what to do instead.</summary>
    public static bool NothingYet(CycleTimeTrendView? cycle, AgingTrendView? aging, BridgeView? bridge) =>
        (cycle is null || cycle.Months.All(m => m.WonToSent.Count == 0 && m.WonToCash.Count == 0))
        && (aging is null || aging.Snapshots.All(s => s.Total == 0m))
        && (bridge is null || bridge.Totals is { Bookings: 0m, Billed: 0m, Collected: 0m });

    private static IEnumerable<WaterfallStep> Variances(VarianceView v, string? suffix = null) =>
        new[] { ("Timing", v.Timing), ("Scope change", v.ScopeChange), ("Churn", v.Churn), ("Pricing", v.Pricing) }
            .Where(p => p.Item2 != 0m)
            .Select(p => new WaterfallStep(p.Item1 + suffix, p.Item2, WaterfallStepKind.Change));

    private static string Month(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
