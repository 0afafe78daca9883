namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// Currency arithmetic for drafting: ISO 4217 minor units and rounding half away from zero. Behaves exactly like the
/// contract code's <c>Money</c> (<c>MinorUnits</c>, <c>Round</c>, <c>LineAmount</c>), which this gives way to once both
/// live in the same tree.
/// </summary>
internal static class DraftMoney
{
    private static readonly HashSet<string> NoMinorUnit = new(StringComparer.OrdinalIgnoreCase) { "JPY", "KRW" };
    private static readonly HashSet<string> ThreeMinorUnits = new(StringComparer.OrdinalIgnoreCase) { "KWD", "BHD", "JOD", "OMR", "TND", "IQD", "LYD" };

    /// <summary>Decimal places of the currency's minor unit: JPY and KRW 0, the dinars and the rial 3, any other 2.</summary>
    public static int MinorUnits(string currency)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(currency);
        var code = currency.Trim();
        if (NoMinorUnit.Contains(code))
            return 0;
        return ThreeMinorUnits.Contains(code) ? 3 : 2;
    }

    /// <summary>The amount rounded to the currency's minor unit, halves away from zero (2.345 USD → 2.35, −2.345 → −2.35).</summary>
    public static decimal Round(decimal amount, string currency) =>
        Math.Round(amount, MinorUnits(currency), MidpointRounding.AwayFromZero);

    /// <summary>Quantity × unit price less the discount, rounded once to the currency's minor unit.</summary>
    public static decimal LineAmount(decimal quantity, decimal unitPrice, decimal discountPercent, string currency) =>
        Round(quantity * unitPrice * (100m - discountPercent) / 100m, currency);

    /// <summary>One unit of the currency's smallest coin: 1 JPY, 0.01 USD, 0.001 KWD.</summary>
    public static decimal SmallestUnit(string currency) => MinorUnits(currency) switch
    {
        0 => 1m,
        3 => 0.001m,
        _ => 0.01m,
    };

    /// <summary>"18,500.00 GBP", "1,200 JPY": for messages finance reads.</summary>
    public static string Format(decimal amount, string currency) =>
        amount.ToString("N" + MinorUnits(currency), System.Globalization.CultureInfo.InvariantCulture) + " " + currency.Trim().ToUpperInvariant();
}
