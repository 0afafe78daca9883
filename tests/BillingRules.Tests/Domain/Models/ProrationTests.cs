using QuoteToCash.BillingRules.Domain;

namespace QuoteToCash.BillingRules.Tests.Domain.Models;

/// <summary>Kill Bill's published proration examples (catalog examples tutorial, a 24.95 monthly plan), day for day.</summary>
public sealed class ProrationTests
{
    private static DateOnly D(string day) => DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    // BCD 25, started 2021-09-16: 9 of the 31 days of 08-25 → 09-25
    [InlineData("2021-09-16", "2021-08-25", "2021-09-25", 9, 31, "7.24")]
    // BCD 17, second subscription from 2021-09-25: 22 of the 30 days of 09-17 → 10-17
    [InlineData("2021-09-25", "2021-09-17", "2021-10-17", 22, 30, "18.30")]
    // BCD 25, started 2021-09-17: 8 of 31
    [InlineData("2021-09-17", "2021-08-25", "2021-09-25", 8, 31, "6.44")]
    // BCD 25, started 2021-09-30: 25 of the 30 days of 09-25 → 10-25
    [InlineData("2021-09-30", "2021-09-25", "2021-10-25", 25, 30, "20.79")]
    public void Kill_Bills_examples_bill_the_same_amounts(string from, string start, string end, int days, int periodDays, string expected)
    {
        Assert.Equal(Math.Round((decimal)days / periodDays, 9, MidpointRounding.AwayFromZero), Proration.Fraction(D(from), D(start), D(end)));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Proration.Prorate(24.95m, D(from), D(start), D(end), "USD"));
    }

    [Fact]
    public void The_period_length_is_the_actual_month()
    {
        // 14 days left of February 2026 (28 days) is half; of March (31 days) it is not.
        Assert.Equal(0.5m, Proration.Fraction(D("2026-02-15"), D("2026-02-01"), D("2026-03-01")));
        Assert.Equal(0.451612903m, Proration.Fraction(D("2026-03-18"), D("2026-03-01"), D("2026-04-01")));
        // Leap year: 29 days.
        Assert.Equal(0.482758621m, Proration.Fraction(D("2028-02-16"), D("2028-02-01"), D("2028-03-01")));
    }

    [Fact]
    public void Before_the_period_is_all_of_it_and_at_its_end_is_none()
    {
        Assert.Equal(1m, Proration.Fraction(D("2026-02-20"), D("2026-03-01"), D("2026-04-01")));
        Assert.Equal(1m, Proration.Fraction(D("2026-03-01"), D("2026-03-01"), D("2026-04-01")));
        Assert.Equal(0m, Proration.Fraction(D("2026-04-01"), D("2026-03-01"), D("2026-04-01")));
        Assert.Equal(0m, Proration.Prorate(100m, D("2026-05-01"), D("2026-03-01"), D("2026-04-01"), "USD"));
    }

    [Fact]
    public void A_prorated_amount_is_rounded_once_in_the_currency()
    {
        // 10 of 31 days of 10,000 JPY = 3,225.806… → 3,226; of 10.000 KWD = 3.2258… → 3.226
        Assert.Equal(3_226m, Proration.Prorate(10_000m, D("2026-03-22"), D("2026-03-01"), D("2026-04-01"), "JPY"));
        Assert.Equal(3.226m, Proration.Prorate(10m, D("2026-03-22"), D("2026-03-01"), D("2026-04-01"), "KWD"));
    }

    [Fact]
    public void A_period_without_days_is_refused() =>
        Assert.Throws<ArgumentException>(() => Proration.Fraction(D("2026-03-01"), D("2026-03-01"), D("2026-03-01")));
}
