namespace QuoteToCash.WebApp.Charts;

/// <summary>One named series of a chart; a null value is a gap (nothing to measure that period).</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<decimal?> Values);

/// <summary>A chart's data as a table: the accessible twin shown beside every chart, and the basis of its CSV.</summary>
public sealed record ChartTable(string Caption, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>Lines over categories (months): e.g. the cycle-time trend's p50 and p90, DSO simple and countback.</summary>
public sealed record LineChart(string Title, string Description, string Unit, IReadOnlyList<string> Categories, IReadOnlyList<ChartSeries> Series)
{
    public ChartTable ToTable() => new(Title, ["Period", .. Series.Select(s => $"{s.Name} ({Unit})")],
        Categories.Select((c, i) => (IReadOnlyList<string>)[c, .. Series.Select(s => ChartNumbers.Cell(s.Values.ElementAtOrDefault(i)))]).ToList());
}

/// <summary>Stacked bars over categories: e.g. receivables by aging bucket at each month end.</summary>
public sealed record StackedBarChart(string Title, string Description, string Unit, IReadOnlyList<string> Categories, IReadOnlyList<ChartSeries> Segments)
{
    public ChartTable ToTable() => new(Title, ["Period", .. Segments.Select(s => s.Name), "Total"],
        Categories.Select((c, i) => (IReadOnlyList<string>)[c, .. Segments.Select(s => ChartNumbers.Cell(s.Values.ElementAtOrDefault(i))),
            ChartNumbers.Cell(Segments.Sum(s => s.Values.ElementAtOrDefault(i) ?? 0m))]).ToList());
}

/// <summary>Whether a waterfall step is a running total (a bar from zero) or a change (a bar floating from the running total).</summary>
public enum WaterfallStepKind
{
    Total,
    Change,
}

/// <summary>One step of a waterfall.</summary>
public sealed record WaterfallStep(string Label, decimal Value, WaterfallStepKind Kind);

/// <summary>A waterfall: totals and the changes between them, e.g. bookings → billed → collected with the variances by cause.</summary>
public sealed record WaterfallChart(string Title, string Description, string Unit, IReadOnlyList<WaterfallStep> Steps)
{
    public ChartTable ToTable() => new(Title, ["Step", "Kind", $"Amount ({Unit})"],
        Steps.Select(s => (IReadOnlyList<string>)[s.Label, s.Kind == WaterfallStepKind.Total ? "total" : "change", ChartNumbers.Cell(s.Value)]).ToList());
}
