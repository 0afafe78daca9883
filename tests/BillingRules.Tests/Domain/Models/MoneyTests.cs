using QuoteToCash.BillingRules.Domain;

namespace QuoteToCash.BillingRules.Tests.Domain.Models;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("JPY", 0)]
    [InlineData("KRW", 0)]
    [InlineData("USD", 2)]
    [InlineData("GBP", 2)]
    [InlineData("EUR", 2)]
    [InlineData("KWD", 3)]
    [InlineData("BHD", 3)]
    [InlineData("JOD", 3)]
    [InlineData("OMR", 3)]
    [InlineData("TND", 3)]
    [InlineData("IQD", 3)]
    [InlineData("LYD", 3)]
    [InlineData("usd", 2)]
    [InlineData("kwd", 3)]
    [InlineData("XYZ", 2)]
    [InlineData("", 2)]
    public void Each_currency_has_its_ISO_4217_minor_unit(string currency, int decimals) =>
        Assert.Equal(decimals, Money.MinorUnits(currency));

    [Theory]
    [InlineData("USD", "2.345", "2.35")]
    [InlineData("USD", "-2.345", "-2.35")]
    [InlineData("USD", "2.344", "2.34")]
    [InlineData("JPY", "1234.5", "1235")]
    [InlineData("JPY", "1234.49", "1234")]
    [InlineData("KWD", "1.2345", "1.235")]
    [InlineData("KWD", "1.2344", "1.234")]
    [InlineData("GBP", "0.005", "0.01")]
    public void Rounding_is_half_away_from_zero_to_the_minor_unit(string currency, string amount, string expected) =>
        Assert.Equal(decimal.Parse(expected), Money.Round(decimal.Parse(amount), currency));

    [Fact]
    public void A_line_is_rounded_once_after_the_discount_not_per_unit()
    {
        // 3 × 0.335 = 1.005 → 1.01 (rounding the unit price first would give 3 × 0.34 = 1.02).
        Assert.Equal(1.01m, Money.LineAmount(3m, 0.335m, 0m, "USD"));
        // 7.5 h × 142.50 less 12.5% = 935.15625 → 935.16
        Assert.Equal(935.16m, Money.LineAmount(7.5m, 142.50m, 12.5m, "GBP"));
        Assert.Equal(1_050m, Money.LineAmount(7m, 150m, 0m, "JPY"));
        Assert.Equal(12_346m, Money.LineAmount(1m, 12_345.5m, 0m, "JPY"));
        Assert.Equal(0.334m, Money.LineAmount(1m, 1.0015m, 66.6667m, "KWD"));
    }

    [Fact]
    public void Thirds_are_allocated_to_the_cent_with_the_leftover_cent_to_the_first()
    {
        Assert.Equal([33.34m, 33.33m, 33.33m], Money.Allocate(100m, [1m, 1m, 1m], "USD"));
        Assert.Equal([34m, 33m, 33m], Money.Allocate(100m, [1m, 1m, 1m], "JPY"));
        Assert.Equal([33.334m, 33.333m, 33.333m], Money.Allocate(100m, [1m, 1m, 1m], "KWD"));
    }

    [Fact]
    public void The_largest_remainder_gets_the_leftover_unit()
    {
        // 10.00 by 30/30/40 is exact; 0.05 in thirds is 0.0166… each: 0.01 each and two cents left over.
        Assert.Equal([3m, 3m, 4m], Money.Allocate(10m, [30m, 30m, 40m], "USD"));
        Assert.Equal([0.02m, 0.02m, 0.01m], Money.Allocate(0.05m, [1m, 1m, 1m], "USD"));
        // 100.00 by 1/2/4: 14.2857…, 28.5714…, 57.1428… → 14.28, 28.57, 57.14 (99.99); the cent goes to the .57 remainder.
        Assert.Equal([14.29m, 28.57m, 57.14m], Money.Allocate(100m, [1m, 2m, 4m], "USD"));
        // 1,000.00 in sevenths: 142.857… each, five cents left over, equal remainders: the earlier parts first.
        Assert.Equal([142.86m, 142.86m, 142.86m, 142.86m, 142.86m, 142.85m, 142.85m], Money.Allocate(1000m, Enumerable.Repeat(1m, 7).ToList(), "USD"));
    }

    [Fact]
    public void A_negative_total_and_a_negative_weight_still_add_up()
    {
        var credit = Money.Allocate(-100m, [1m, 1m, 1m], "USD");
        Assert.Equal(-100m, credit.Sum());
        var withDiscountLine = Money.Allocate(500m, [600m, -100m], "USD");
        Assert.Equal([600m, -100m], withDiscountLine);
    }

    [Fact]
    public void Allocation_refuses_what_cannot_add_up()
    {
        Assert.Throws<ArgumentException>(() => Money.Allocate(10.005m, [1m, 1m], "USD"));
        Assert.Throws<ArgumentException>(() => Money.Allocate(10m, [], "USD"));
        Assert.Throws<ArgumentException>(() => Money.Allocate(10m, [0m, 0m], "USD"));
    }
}
