namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// The one place money is rounded and split. Amounts are <see cref="decimal"/> in the deal's currency; every charge
/// line is rounded once, half away from zero, to the currency's ISO 4217 minor unit, and an amount that is split
/// (instalments, scaled deal lines) is split so that the parts add up to the whole to the smallest unit.
/// </summary>
public static class Money
{
    // ISO 4217 currencies without a minor unit, and those with three decimals; every other code has two.
    private static readonly HashSet<string> NoDecimals = new(StringComparer.OrdinalIgnoreCase)
    {
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
    };

    private static readonly HashSet<string> ThreeDecimals = new(StringComparer.OrdinalIgnoreCase)
    {
        "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND",
    };

    /// <summary>The number of decimals of the currency's minor unit: JPY 0, USD 2, KWD 3; an unknown code 2.</summary>
    public static int MinorUnits(string currency)
    {
        var code = currency?.Trim() ?? string.Empty;
        if (NoDecimals.Contains(code))
            return 0;
        return ThreeDecimals.Contains(code) ? 3 : 2;
    }

    /// <summary>The smallest amount of the currency: 1 for JPY, 0.01 for USD, 0.001 for KWD.</summary>
    public static decimal SmallestUnit(string currency) => MinorUnits(currency) switch
    {
        0 => 1m,
        3 => 0.001m,
        _ => 0.01m,
    };

    /// <summary>Rounds to the currency's minor unit, half away from zero (2.345 USD is 2.35, −2.345 is −2.35).</summary>
    public static decimal Round(decimal amount, string currency) =>
        Math.Round(amount, MinorUnits(currency), MidpointRounding.AwayFromZero);

    /// <summary>Quantity × unit price less the discount percentage, rounded once at the end.</summary>
    public static decimal LineAmount(decimal quantity, decimal unitPrice, decimal discountPercent, string currency) =>
        Round(quantity * unitPrice * (100m - discountPercent) / 100m, currency);

    /// <summary>
    /// Splits <paramref name="total"/> (already on the currency's grid) in proportion to <paramref name="weights"/> so
    /// that the parts add up to it exactly: each part is first rounded down to the smallest unit, then the units left
    /// over go one each to the parts that lost the most (largest remainder; on a tie, the earlier part).
    /// </summary>
    /// <exception cref="ArgumentException">No weights, weights that add up to zero, or a total finer than the currency's minor unit.</exception>
    public static IReadOnlyList<decimal> Allocate(decimal total, IReadOnlyList<decimal> weights, string currency)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count == 0)
            throw new ArgumentException("Nothing to allocate to: no weights.", nameof(weights));
        if (Round(total, currency) != total)
            throw new ArgumentException($"{total} is finer than the minor unit of {currency}; round it first.", nameof(total));
        var weightSum = weights.Sum();
        if (weightSum == 0m)
            throw new ArgumentException("The weights add up to zero, so there is no proportion to allocate by.", nameof(weights));

        var unit = SmallestUnit(currency);
        var parts = new decimal[weights.Count];
        var remainders = new decimal[weights.Count];
        for (var i = 0; i < weights.Count; i++)
        {
            var exactUnits = total * weights[i] / weightSum / unit;
            var wholeUnits = Math.Floor(exactUnits);
            parts[i] = wholeUnits * unit;
            remainders[i] = exactUnits - wholeUnits;
        }

        var leftOver = (int)Math.Round((total - parts.Sum()) / unit, MidpointRounding.AwayFromZero);
        foreach (var index in Enumerable.Range(0, parts.Length).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take(leftOver))
            parts[index] += unit;
        return parts;
    }
}
