using System.Globalization;
using System.Xml.Linq;
using QuoteToCash.WebApp.Charts;

namespace QuoteToCash.WebApp.Tests.Charts;

/// <summary>The SVG drawn on the server: geometry that matches the numbers, gaps where nothing was measured, an accessible name.</summary>
public sealed class SvgChartsTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static double Attr(XElement e, string name) => double.Parse(e.Attribute(name)!.Value, CultureInfo.InvariantCulture);

    [Fact]
    public void A_line_chart_is_an_image_named_by_its_title_with_a_point_per_measured_value_and_a_gap_where_none_was()
    {
        var chart = new LineChart("Invoice cycle time", "p50 and p90 per month", "days", ["2026-01", "2026-02", "2026-03", "2026-04"],
            [new ChartSeries("p50", [2m, null, 4m, 3m]), new ChartSeries("p90", [5m, 6m, 8m, 7m])]);
        var svg = XElement.Parse(SvgCharts.Render(chart));

        Assert.Equal("img", svg.Attribute("role")!.Value);
        Assert.Equal("Invoice cycle time", svg.Element(Svg + "title")!.Value);
        var p50 = svg.Elements(Svg + "g").Single(g => g.Attribute("data-series")?.Value == "p50");
        Assert.Equal(3, p50.Elements(Svg + "circle").Count());
        // The missing February breaks p50 into a lone January point and a March–April line.
        Assert.Single(p50.Elements(Svg + "polyline"));
        var p90 = svg.Elements(Svg + "g").Single(g => g.Attribute("data-series")?.Value == "p90");
        Assert.Single(p90.Elements(Svg + "polyline"));
        Assert.Equal(4, p90.Elements(Svg + "circle").Count());
        // Higher values sit higher (smaller y); 8 days is above 5 days.
        var ys = p90.Elements(Svg + "circle").Select(c => Attr(c, "cy")).ToList();
        Assert.True(ys[2] < ys[0]);
    }

    [Fact]
    public void Stacked_bars_stack_each_bucket_on_the_last_with_heights_in_proportion_to_the_amounts()
    {
        var chart = new StackedBarChart("Aging", "by bucket", "amount", ["Jan", "Feb"],
            [new ChartSeries("Current", [100m, 0m]), new ChartSeries("0-30 days", [50m, 300m])]);
        var bars = XElement.Parse(SvgCharts.Render(chart)).Elements(Svg + "rect").Where(r => r.Attribute("class")?.Value == "bar").ToList();

        Assert.Equal(3, bars.Count); // a zero amount draws nothing
        var current = bars.Single(b => b.Attribute("data-series")!.Value == "Current" && b.Attribute("data-category")!.Value == "Jan");
        var overdue = bars.Single(b => b.Attribute("data-series")!.Value == "0-30 days" && b.Attribute("data-category")!.Value == "Jan");
        Assert.Equal(2.0, Attr(current, "height") / Attr(overdue, "height"), 2);
        Assert.Equal(Attr(current, "y"), Attr(overdue, "y") + Attr(overdue, "height"), 1); // stacked: the second starts where the first ends
        var february = bars.Single(b => b.Attribute("data-category")!.Value == "Feb");
        Assert.Equal(2.0, Attr(february, "height") / (Attr(current, "height") + Attr(overdue, "height")), 2);
    }

    private static List<(double X, string Text, string Row)> Labels(string svg) =>
        XElement.Parse(svg).Elements(Svg + "g").Single(g => g.Attribute("class")?.Value == "categories").Elements(Svg + "text")
            .Select(t => (Attr(t, "x"), t.Value, t.Attribute("data-row")!.Value)).ToList();

    /// <summary>True when no two labels of the same row come closer than their estimated widths allow.</summary>
    private static bool NoneOverlap(List<(double X, string Text, string Row)> labels) =>
        labels.GroupBy(l => l.Row).All(row => row.OrderBy(l => l.X).Zip(row.OrderBy(l => l.X).Skip(1))
            .All(pair => pair.Second.X - pair.First.X >= (SvgCharts.LabelWidth(pair.First.Text) + SvgCharts.LabelWidth(pair.Second.Text)) / 2));

    [Fact]
    public void Thirteen_month_ends_of_aging_are_labelled_without_overlap_ending_with_the_latest_and_the_table_keeps_all_of_them()
    {
        var monthEnds = Enumerable.Range(0, 13).Select(m => new DateOnly(2025, 4, 1).AddMonths(m).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
        var chart = new StackedBarChart("Receivables aging", "by bucket", "amount", monthEnds,
            [new ChartSeries("Current", monthEnds.Select(_ => (decimal?)100m).ToList()), new ChartSeries("0-30 days", monthEnds.Select(_ => (decimal?)50m).ToList())]);

        var labels = Labels(SvgCharts.Render(chart));

        Assert.True(NoneOverlap(labels));
        Assert.InRange(labels.Count, 4, 12);
        Assert.Equal(monthEnds[^1], labels[^1].Text);
        Assert.Equal(monthEnds, chart.ToTable().Rows.Select(r => r[0]));
    }

    [Fact]
    public void Short_labels_that_fit_are_all_shown_and_a_waterfall_s_long_labels_take_two_rows_rather_than_go_missing()
    {
        var months = Enumerable.Range(1, 12).Select(m => $"2026-{m:D2}").ToList();
        var line = new LineChart("Cycle time", "per month", "days", months, [new ChartSeries("p50", months.Select(_ => (decimal?)2m).ToList())]);
        var lineLabels = Labels(SvgCharts.Render(line));
        Assert.Equal(months, lineLabels.Select(l => l.Text));
        Assert.True(NoneOverlap(lineLabels));

        var steps = new[] { "Bookings", "Timing", "Scope change", "Churn", "Pricing", "Billed", "Timing", "Churn", "Pricing", "Scope change", "Collected" };
        var waterfall = new WaterfallChart("Pipeline to cash", "bridge", "amount",
            steps.Select((s, i) => new WaterfallStep(s, 100m, s is "Bookings" or "Billed" or "Collected" ? WaterfallStepKind.Total : WaterfallStepKind.Change)).ToList());
        var waterfallLabels = Labels(SvgCharts.Render(waterfall));
        Assert.Equal(steps, waterfallLabels.Select(l => l.Text));
        Assert.Equal(2, waterfallLabels.Select(l => l.Row).Distinct().Count());
        Assert.True(NoneOverlap(waterfallLabels));
    }

    [Fact]
    public void A_waterfall_floats_each_change_from_the_running_total_and_stands_each_total_on_zero()
    {
        var chart = new WaterfallChart("Bridge", "bookings to cash", "amount",
        [
            new WaterfallStep("Bookings", 1000m, WaterfallStepKind.Total),
            new WaterfallStep("Timing", -300m, WaterfallStepKind.Change),
            new WaterfallStep("Pricing", 100m, WaterfallStepKind.Change),
            new WaterfallStep("Billed", 800m, WaterfallStepKind.Total),
        ]);
        var svg = XElement.Parse(SvgCharts.Render(chart));
        var bars = svg.Elements(Svg + "rect").Where(r => r.Attribute("class")!.Value.StartsWith("bar", StringComparison.Ordinal)).ToList();
        var (low, high, _) = ChartNumbers.NiceScale(0m, 1000m);
        double Y(decimal v) => Math.Round(SvgCharts.Y(v, low, high), 1);

        Assert.Equal(Y(1000m), Attr(bars[0], "y"), 1);
        Assert.Equal(Y(0m), Attr(bars[0], "y") + Attr(bars[0], "height"), 1);
        Assert.Equal(Y(1000m), Attr(bars[1], "y"), 1);           // timing: from 1000 down to 700
        Assert.Equal(Y(700m), Attr(bars[1], "y") + Attr(bars[1], "height"), 1);
        Assert.Equal(SvgCharts.Negative, bars[1].Attribute("fill")!.Value);
        Assert.Equal(Y(800m), Attr(bars[2], "y"), 1);            // pricing: from 700 up to 800
        Assert.Equal(SvgCharts.Positive, bars[2].Attribute("fill")!.Value);
        Assert.Equal(Y(800m), Attr(bars[3], "y"), 1);
        Assert.Equal(3, svg.Elements(Svg + "line").Count());     // a connector between each pair of bars
    }

    [Theory]
    [InlineData(0, 87, 0, 100, 20)]
    [InlineData(-300, 1000, -500, 1000, 500)]
    [InlineData(0, 0, 0, 1, 0.2)]
    [InlineData(0, 12_345, 0, 15_000, 5_000)]
    [InlineData(0, 9, 0, 10, 2)]
    public void The_axis_runs_in_round_steps_and_always_includes_zero(double min, double max, double low, double high, double step)
    {
        var scale = ChartNumbers.NiceScale((decimal)min, (decimal)max);
        Assert.Equal(((decimal)low, (decimal)high, (decimal)step), scale);
    }

    [Fact]
    public void Every_chart_has_its_data_as_a_table_with_a_dash_for_what_was_not_measured()
    {
        var table = new LineChart("DSO", "simple and countback", "days", ["2026-01", "2026-02"],
            [new ChartSeries("simple", [41.5m, null]), new ChartSeries("countback", [38m, 40m])]).ToTable();
        Assert.Equal(["Period", "simple (days)", "countback (days)"], table.Headers);
        Assert.Equal(["2026-02", "–", "40"], table.Rows[1]);

        var stacked = new StackedBarChart("Aging", "", "amount", ["Jan"], [new ChartSeries("Current", [1200.5m]), new ChartSeries("90+ days", [300m])]).ToTable();
        Assert.Equal(["Jan", "1,200.5", "300", "1,500.5"], stacked.Rows[0]);
    }
}
