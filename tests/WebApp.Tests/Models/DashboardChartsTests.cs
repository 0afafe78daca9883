using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.WebApp.Charts;
using QuoteToCash.WebApp.Models;

namespace QuoteToCash.WebApp.Tests.Models;

/// <summary>The dashboard's charts made from fixed KPI view records, as reporting answers them.</summary>
public sealed class DashboardChartsTests
{
    private static readonly KpiScopeView Scope = new(new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31), null, null, DateTimeOffset.Parse("2026-04-01T00:00:00Z"));

    [Fact]
    public void Aging_stacks_the_buckets_from_current_to_ninety_plus_at_each_month_end()
    {
        var trend = new AgingTrendView(Scope,
        [
            new AgingSnapshotView(new DateOnly(2026, 2, 28), [new AgingBucketView("90+", 500m, 1), new AgingBucketView("Current", 4_000m, 3)], 4_500m, 4),
            new AgingSnapshotView(new DateOnly(2026, 1, 31), [new AgingBucketView("0-30", 1_000m, 1)], 1_000m, 1),
        ]);
        var chart = DashboardCharts.Aging(trend);

        Assert.Equal(["2026-01-31", "2026-02-28"], chart.Categories);
        Assert.Equal(["Current", "0-30 days", "31-60 days", "61-90 days", "90+ days"], chart.Segments.Select(s => s.Name));
        Assert.Equal([0m, 4_000m], chart.Segments[0].Values);
        Assert.Equal([1_000m, 0m], chart.Segments[1].Values);
        Assert.Equal([0m, 500m], chart.Segments[4].Values);
    }

    [Fact]
    public void The_bridge_walks_from_bookings_through_each_variance_to_billed_and_collected()
    {
        var totals = new BridgeMonthView(new DateOnly(2026, 1, 1), 10_000m, 8_500m, 6_000m,
            new VarianceView(-1_500m, -1_000m, -800m, 0m, 300m), new VarianceView(-2_500m, -2_500m, 0m, 0m, 0m));
        var chart = DashboardCharts.Bridge(new BridgeView(Scope, [totals], totals));

        Assert.Equal(["Bookings", "Timing", "Scope change", "Pricing", "Billed", "Timing", "Collected"], chart.Steps.Select(s => s.Label));
        Assert.Equal([10_000m, -1_000m, -800m, 300m, 8_500m, -2_500m, 6_000m], chart.Steps.Select(s => s.Value));
        // The changes land exactly on the next total.
        Assert.Equal(8_500m, 10_000m + chart.Steps.Skip(1).Take(3).Sum(s => s.Value));
    }

    [Fact]
    public void Cycle_time_and_dso_keep_unmeasured_months_as_gaps()
    {
        var cycle = DashboardCharts.CycleTime(new CycleTimeTrendView(Scope,
        [
            new CycleTimeMonthView(new DateOnly(2026, 2, 1), new DurationPercentilesView(0, null, null, null), new DurationPercentilesView(0, null, null, null)),
            new CycleTimeMonthView(new DateOnly(2026, 1, 1), new DurationPercentilesView(4, 2.5m, 6m, 3m), new DurationPercentilesView(1, 40m, 40m, 40m)),
        ]));
        Assert.Equal(["2026-01", "2026-02"], cycle.Categories);
        Assert.Equal([2.5m, null], cycle.Series[0].Values);

        var dso = DashboardCharts.Dso(new DsoTrendView(Scope, [new DsoMonthView(new DateOnly(2026, 1, 1), 900m, 3_000m, 9.3m, 8m)]));
        Assert.Equal(["simple", "countback"], dso.Series.Select(s => s.Name));
        Assert.Contains("9.3", SvgCharts.Render(dso), StringComparison.Ordinal);
    }

    [Fact]
    public void A_range_with_nothing_won_billed_or_owed_is_nothing_yet()
    {
        var empty = new BridgeMonthView(new DateOnly(2026, 1, 1), 0m, 0m, 0m, new VarianceView(0m, 0m, 0m, 0m, 0m), new VarianceView(0m, 0m, 0m, 0m, 0m));
        Assert.True(DashboardCharts.NothingYet(new CycleTimeTrendView(Scope, []), new AgingTrendView(Scope, []), new BridgeView(Scope, [], empty)));
        Assert.False(DashboardCharts.NothingYet(new CycleTimeTrendView(Scope, []), new AgingTrendView(Scope, []),
            new BridgeView(Scope, [], empty with { Bookings = 1m })));
    }
}
