using System.Globalization;

namespace QuoteToCash.BillingRules.Domain;

/// <summary>Builds <see cref="ChargeLine"/>s whose quantity and unit price explain their amount where they can.</summary>
internal static class ChargeLines
{
    public static ChargeLine Priced(string description, string? product, decimal quantity, decimal unitPrice, string currency,
        DateOnly? from = null, DateOnly? to = null) => new()
    {
        Description = description,
        Product = product,
        Quantity = quantity,
        UnitPrice = unitPrice,
        Amount = Money.LineAmount(quantity, unitPrice, 0m, currency),
        ServiceFrom = from,
        ServiceTo = to,
    };

    /// <summary>
    /// A line for an amount that was allocated or cut: <paramref name="quantity"/> units at amount ÷ quantity when that
    /// unit price is on the currency's grid, otherwise one unit at the amount, so quantity × price is always the amount.
    /// </summary>
    public static ChargeLine ForAmount(string description, string? product, decimal amount, decimal quantity, string currency,
        DateOnly? from = null, DateOnly? to = null)
    {
        if (quantity > 0m)
        {
            var unitPrice = amount / quantity;
            if (Money.Round(unitPrice, currency) == unitPrice && Money.LineAmount(quantity, unitPrice, 0m, currency) == amount)
                return Line(description, product, quantity, unitPrice, amount, from, to);
        }
        return Line(description, product, 1m, amount, amount, from, to);
    }

    /// <summary>
    /// A line for part of some time billed at <paramref name="rate"/>: the hours that amount buys when they come out
    /// even (to the hundredth of an hour), otherwise one unit at the amount.
    /// </summary>
    public static ChargeLine ForTimeAmount(string description, string? product, decimal amount, decimal rate, string currency,
        DateOnly? from, DateOnly? to)
    {
        if (rate > 0m)
        {
            var hours = amount / rate;
            if (Math.Round(hours, 2) == hours && Money.LineAmount(hours, rate, 0m, currency) == amount)
                return Line(description, product, hours, rate, amount, from, to);
        }
        return Line(description, product, 1m, amount, amount, from, to);
    }

    /// <summary>An amount as finance reads it in an alert: "1,234.50 GBP".</summary>
    public static string Format(decimal amount, string currency) =>
        amount.ToString("N" + Money.MinorUnits(currency).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " " + currency;

    public static string Percent(decimal percent) => percent.ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>A quantity (seats, hours) without trailing zeros: 10, 7.5.</summary>
    public static string Quantity(decimal quantity) => quantity.ToString("0.####", CultureInfo.InvariantCulture);

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static ChargeLine Line(string description, string? product, decimal quantity, decimal unitPrice, decimal amount,
        DateOnly? from, DateOnly? to) => new()
    {
        Description = description,
        Product = product,
        Quantity = quantity,
        UnitPrice = unitPrice,
        Amount = amount,
        ServiceFrom = from,
        ServiceTo = to,
    };
}
