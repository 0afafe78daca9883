using System.Globalization;

namespace QuoteToCash.WebApp.Charts;

/// <summary>How a chart writes numbers: invariant culture, so SVG coordinates and CSV cells never carry a decimal comma.</summary>
public static class ChartNumbers
{
    /// <summary>A table cell: two decimals with thousands separators, or an en dash for "nothing to measure".</summary>
    public static string Cell(decimal? value) => value is { } v ? v.ToString("#,##0.##", CultureInfo.InvariantCulture) : "–";

    /// <summary>An axis label: short (12.5k, 1.2M).</summary>
    public static string Axis(decimal value)
    {
        var magnitude = Math.Abs(value);
        return magnitude switch
        {
            >= 1_000_000m => (value / 1_000_000m).ToString("0.##", CultureInfo.InvariantCulture) + "M",
            >= 10_000m => (value / 1_000m).ToString("0.#", CultureInfo.InvariantCulture) + "k",
            _ => value.ToString("0.##", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>An SVG coordinate: one decimal, invariant.</summary>
    public static string Coordinate(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>
    /// The axis range and tick step for values between min and max, always including zero: the step is 1, 2 or 5 times a
    /// power of ten, so ticks read as round numbers.
    /// </summary>
    public static (decimal Low, decimal High, decimal Step) NiceScale(decimal min, decimal max, int ticks = 5)
    {
        var low = Math.Min(0m, min);
        var high = Math.Max(0m, max);
        if (high == low)
            high = low + 1m;
        var rough = (double)(high - low) / ticks;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var fraction = rough / power;
        var nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        var step = (decimal)(nice * power);
        return (Math.Floor(low / step) * step, Math.Ceiling(high / step) * step, step);
    }
}
