using System.Globalization;

namespace QuoteToCash.Sandbox.QuickBooks.Domain;

/// <summary>Amounts are decimals rounded to cents; the rounding mode QBO uses is not documented, half away from zero is assumed.</summary>
public static class Money
{
    public static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    /// <summary>Drops insignificant trailing zeros so 150.00 is written as 150 and 12.50 as 12.5.</summary>
    public static decimal Normalize(decimal amount) => amount / 1.000000000000000000000000000000000m;

    public static string Format(decimal amount) => Normalize(amount).ToString(CultureInfo.InvariantCulture);
}
