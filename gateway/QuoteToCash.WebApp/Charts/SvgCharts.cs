using System.Xml.Linq;
using static QuoteToCash.WebApp.Charts.ChartNumbers;

namespace QuoteToCash.WebApp.Charts;

/// <summary>
/// Draws charts as inline SVG on the server: no script, no front-end build. Each SVG is one image to assistive technology
/// (role="img" with a title and a description); the data table beside it carries the numbers. The drawing area is
/// fixed (viewBox) and scales with the page.
/// </summary>
public static class SvgCharts
{
    public const int Width = 640;
    public const int Height = 300;
    private const double Left = 64, Right = 16, Top = 16, Bottom = 64;
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Series colours with at least 3:1 contrast against white (WCAG 1.4.11 for graphics).</summary>
    public static readonly IReadOnlyList<string> Palette = ["#1f5fa8", "#b3541e", "#2e7d32", "#6a3d9a", "#a11d4a", "#00695c"];

    public const string Positive = "#2e7d32";
    public const string Negative = "#b3261e";
    public const string TotalColour = "#1f5fa8";

    private static double PlotWidth => Width - Left - Right;
    private static double PlotHeight => Height - Top - Bottom;

    public static string Render(LineChart chart)
    {
        var values = chart.Series.SelectMany(s => s.Values).OfType<decimal>().ToList();
        var (low, high, step) = NiceScale(values.DefaultIfEmpty(0m).Min(), values.DefaultIfEmpty(0m).Max());
        var root = Frame(chart.Title, chart.Description, "line");
        Axes(root, low, high, step, chart.Unit);
        var count = chart.Categories.Count;
        double X(int i) => Left + (count <= 1 ? PlotWidth / 2 : PlotWidth * i / (count - 1));
        CategoryLabels(root, chart.Categories, X);
        for (var s = 0; s < chart.Series.Count; s++)
        {
            var series = chart.Series[s];
            var colour = Palette[s % Palette.Count];
            var group = new XElement(Svg + "g", new XAttribute("class", "series"), new XAttribute("data-series", series.Name));
            // A gap (null) breaks the line: each run of measured points is its own polyline.
            var run = new List<string>();
            void Flush()
            {
                if (run.Count > 1)
                    group.Add(new XElement(Svg + "polyline", new XAttribute("points", string.Join(' ', run)), new XAttribute("fill", "none"),
                        new XAttribute("stroke", colour), new XAttribute("stroke-width", "2.5"), s % 2 == 1 ? new XAttribute("stroke-dasharray", "6 3") : null));
                run.Clear();
            }
            for (var i = 0; i < count; i++)
            {
                if (series.Values.ElementAtOrDefault(i) is not { } value)
                {
                    Flush();
                    continue;
                }
                var x = Coordinate(X(i));
                var y = Coordinate(Y(value, low, high));
                run.Add($"{x},{y}");
                group.Add(new XElement(Svg + "circle", new XAttribute("cx", x), new XAttribute("cy", y), new XAttribute("r", "3.5"),
                    new XAttribute("fill", colour), new XAttribute("data-value", value.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            }
            Flush();
            root.Add(group);
        }
        Legend(root, chart.Series.Select(s => s.Name).ToList());
        return root.ToString(SaveOptions.DisableFormatting);
    }

    public static string Render(StackedBarChart chart)
    {
        var count = chart.Categories.Count;
        var totals = Enumerable.Range(0, count).Select(i => chart.Segments.Sum(s => Math.Max(0m, s.Values.ElementAtOrDefault(i) ?? 0m))).ToList();
        var (low, high, step) = NiceScale(0m, totals.DefaultIfEmpty(0m).Max());
        var root = Frame(chart.Title, chart.Description, "stacked-bar");
        Axes(root, low, high, step, chart.Unit);
        var slot = count == 0 ? PlotWidth : PlotWidth / count;
        var barWidth = Math.Min(48, slot * 0.6);
        double Centre(int i) => Left + slot * i + slot / 2;
        CategoryLabels(root, chart.Categories, Centre);
        for (var i = 0; i < count; i++)
        {
            var baseline = 0m;
            for (var s = 0; s < chart.Segments.Count; s++)
            {
                var value = Math.Max(0m, chart.Segments[s].Values.ElementAtOrDefault(i) ?? 0m);
                if (value == 0m)
                    continue;
                var top = Y(baseline + value, low, high);
                var bottom = Y(baseline, low, high);
                root.Add(new XElement(Svg + "rect", new XAttribute("class", "bar"), new XAttribute("data-series", chart.Segments[s].Name),
                    new XAttribute("data-category", chart.Categories[i]),
                    new XAttribute("x", Coordinate(Centre(i) - barWidth / 2)), new XAttribute("y", Coordinate(top)),
                    new XAttribute("width", Coordinate(barWidth)), new XAttribute("height", Coordinate(bottom - top)),
                    new XAttribute("fill", Palette[s % Palette.Count]), new XAttribute("stroke", "#ffffff"), new XAttribute("stroke-width", "1")));
                baseline += value;
            }
        }
        Legend(root, chart.Segments.Select(s => s.Name).ToList());
        return root.ToString(SaveOptions.DisableFormatting);
    }

    public static string Render(WaterfallChart chart)
    {
        // Where each bar starts and ends: a total stands on zero and resets the running sum; a change floats from it.
        var spans = new List<(decimal From, decimal To, WaterfallStep Step)>();
        var running = 0m;
        foreach (var step in chart.Steps)
        {
            if (step.Kind == WaterfallStepKind.Total)
            {
                spans.Add((0m, step.Value, step));
                running = step.Value;
            }
            else
            {
                spans.Add((running, running + step.Value, step));
                running += step.Value;
            }
        }
        var ends = spans.SelectMany(s => new[] { s.From, s.To }).DefaultIfEmpty(0m).ToList();
        var (low, high, tick) = NiceScale(ends.Min(), ends.Max());
        var root = Frame(chart.Title, chart.Description, "waterfall");
        Axes(root, low, high, tick, chart.Unit);
        var count = spans.Count;
        var slot = count == 0 ? PlotWidth : PlotWidth / count;
        var barWidth = Math.Min(48, slot * 0.65);
        double Centre(int i) => Left + slot * i + slot / 2;
        CategoryLabels(root, chart.Steps.Select(s => s.Label).ToList(), Centre, thin: false);
        for (var i = 0; i < count; i++)
        {
            var (from, to, step) = spans[i];
            var top = Y(Math.Max(from, to), low, high);
            var bottom = Y(Math.Min(from, to), low, high);
            var colour = step.Kind == WaterfallStepKind.Total ? TotalColour : step.Value < 0 ? Negative : Positive;
            root.Add(new XElement(Svg + "rect", new XAttribute("class", step.Kind == WaterfallStepKind.Total ? "bar total" : "bar change"),
                new XAttribute("data-category", step.Label), new XAttribute("data-value", step.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new XAttribute("x", Coordinate(Centre(i) - barWidth / 2)), new XAttribute("y", Coordinate(top)),
                new XAttribute("width", Coordinate(barWidth)), new XAttribute("height", Coordinate(Math.Max(1, bottom - top))),
                new XAttribute("fill", colour)));
            // Connector to the next bar at the running total, so the eye follows the flow.
            if (i + 1 < count)
            {
                var level = Coordinate(Y(to, low, high));
                root.Add(new XElement(Svg + "line", new XAttribute("x1", Coordinate(Centre(i) + barWidth / 2)), new XAttribute("x2", Coordinate(Centre(i + 1) - barWidth / 2)),
                    new XAttribute("y1", level), new XAttribute("y2", level), new XAttribute("stroke", "#5f6b76"), new XAttribute("stroke-dasharray", "3 3")));
            }
        }
        return root.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>The vertical position of a value in the plot.</summary>
    public static double Y(decimal value, decimal low, decimal high) =>
        Top + PlotHeight * (double)((high - value) / (high - low == 0 ? 1 : high - low));

    private static XElement Frame(string title, string description, string kind)
    {
        var id = "chart-" + Guid.NewGuid().ToString("N")[..8];
        return new XElement(Svg + "svg",
            new XAttribute("viewBox", $"0 0 {Width} {Height}"), new XAttribute("role", "img"), new XAttribute("class", "chart " + kind),
            new XAttribute("aria-labelledby", $"{id}-title {id}-desc"), new XAttribute("preserveAspectRatio", "xMidYMid meet"),
            new XElement(Svg + "title", new XAttribute("id", id + "-title"), title),
            new XElement(Svg + "desc", new XAttribute("id", id + "-desc"), description));
    }

    private static void Axes(XElement root, decimal low, decimal high, decimal step, string unit)
    {
        var axis = new XElement(Svg + "g", new XAttribute("class", "axis"), new XAttribute("aria-hidden", "true"));
        for (var value = low; value <= high; value += step)
        {
            var y = Coordinate(Y(value, low, high));
            axis.Add(new XElement(Svg + "line", new XAttribute("x1", Left), new XAttribute("x2", Width - Right), new XAttribute("y1", y), new XAttribute("y2", y),
                new XAttribute("stroke", value == 0 ? "#5f6b76" : "#d5dbe1"), new XAttribute("stroke-width", "1")));
            axis.Add(new XElement(Svg + "text", new XAttribute("x", Left - 6), new XAttribute("y", y), new XAttribute("text-anchor", "end"),
                new XAttribute("dominant-baseline", "middle"), new XAttribute("font-size", "11"), new XAttribute("fill", "#3d4852"), Axis(value)));
        }
        axis.Add(new XElement(Svg + "text", new XAttribute("x", 4), new XAttribute("y", Top - 4 + 2), new XAttribute("font-size", "11"),
            new XAttribute("fill", "#3d4852"), unit));
        root.Add(axis);
    }

    /// <summary>The font size of category labels, and the room one takes: about 0.56 em per character (a digit is 0.556 em in the usual sans-serif faces), plus a gap to its neighbour.</summary>
    public const int LabelFontSize = 11;

    public static double LabelWidth(string label) => label.Length * LabelFontSize * 0.56 + 6;

    /// <summary>
    /// Labels under the plot, never overlapping: a time series (<paramref name="thin"/>) labels every n-th category counted back
    /// from the latest, n being how many category slots the widest label needs, so the latest period always has its label; a
    /// waterfall keeps every label (each bar is a different thing) and puts every second one on a second row when one row is
    /// too narrow. The data table beside the chart lists every category either way.
    /// </summary>
    private static void CategoryLabels(XElement root, IReadOnlyList<string> categories, Func<int, double> x, bool thin = true)
    {
        var labels = new XElement(Svg + "g", new XAttribute("class", "categories"), new XAttribute("aria-hidden", "true"));
        var count = categories.Count;
        var spacing = count > 1 ? x(1) - x(0) : PlotWidth;
        var widest = categories.Select(LabelWidth).DefaultIfEmpty(0).Max();
        var every = thin ? Math.Max(1, (int)Math.Ceiling(widest / spacing)) : 1;
        var rows = thin || widest <= spacing ? 1 : 2;
        for (var i = count - 1; i >= 0; i -= every)
        {
            labels.Add(new XElement(Svg + "text", new XAttribute("x", Coordinate(x(i))), new XAttribute("y", Height - Bottom + 16 + 14 * (i % rows)),
                new XAttribute("text-anchor", "middle"), new XAttribute("font-size", LabelFontSize), new XAttribute("fill", "#3d4852"),
                new XAttribute("data-row", i % rows), categories[i]));
        }
        labels.ReplaceNodes(labels.Elements().Reverse().ToList());
        root.Add(labels);
    }

    private static void Legend(XElement root, IReadOnlyList<string> names)
    {
        var legend = new XElement(Svg + "g", new XAttribute("class", "legend"), new XAttribute("aria-hidden", "true"));
        var x = Left;
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            legend.Add(new XElement(Svg + "rect", new XAttribute("x", Coordinate(x)), new XAttribute("y", Height - 22), new XAttribute("width", 12),
                new XAttribute("height", 12), new XAttribute("fill", Palette[i % Palette.Count])));
            legend.Add(new XElement(Svg + "text", new XAttribute("x", Coordinate(x + 16)), new XAttribute("y", Height - 12), new XAttribute("font-size", "12"),
                new XAttribute("fill", "#1b2733"), name));
            x += 28 + name.Length * 7;
        }
        root.Add(legend);
    }
}
