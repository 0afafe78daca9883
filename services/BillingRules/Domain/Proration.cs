namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// Proration as Kill Bill does it: whole days remaining in the period divided by the actual number of days of that
/// period (28 to 31 for a month), the ratio kept to nine decimals (half up), and the prorated amount rounded once to
/// the currency's minor unit. A 24.95 monthly plan started with 9 of 31 days left bills 7.24.
/// </summary>
public static class Proration
{
    private const int RatioDecimals = 9;

    /// <summary>
    /// The share of the period [<paramref name="periodStart"/>, <paramref name="periodEndExclusive"/>) that remains
    /// from <paramref name="from"/> on: 1 when it starts on or before the period, 0 when it starts at or after its end.
    /// </summary>
    public static decimal Fraction(DateOnly from, DateOnly periodStart, DateOnly periodEndExclusive)
    {
        var periodDays = periodEndExclusive.DayNumber - periodStart.DayNumber;
        if (periodDays <= 0)
            throw new ArgumentException($"The period {periodStart:yyyy-MM-dd} to {periodEndExclusive:yyyy-MM-dd} has no days.", nameof(periodEndExclusive));
        var start = from < periodStart ? periodStart : from;
        var remaining = Math.Clamp(periodEndExclusive.DayNumber - start.DayNumber, 0, periodDays);
        return Math.Round((decimal)remaining / periodDays, RatioDecimals, MidpointRounding.AwayFromZero);
    }

    /// <summary>The full period's amount times <see cref="Fraction"/>, rounded once with <see cref="Money.Round"/>.</summary>
    public static decimal Prorate(decimal fullPeriodAmount, DateOnly from, DateOnly periodStart, DateOnly periodEndExclusive, string currency) =>
        Money.Round(fullPeriodAmount * Fraction(from, periodStart, periodEndExclusive), currency);
}
