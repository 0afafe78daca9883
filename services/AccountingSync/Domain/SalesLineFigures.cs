using QuoteToCash.Contracts;

namespace QuoteToCash.AccountingSync.Domain;

/// <summary>
/// The figures of one QuickBooks sales line. QuickBooks refuses a line whose Amount is not round(Qty × UnitPrice, 2), so a
/// discounted line goes with its net amount and its quantity and without a unit price (QuickBooks derives the net rate),
/// and the discount is named in the description the customer reads.
/// </summary>
public sealed record SalesLineFigures(decimal Amount, decimal? Quantity, decimal? UnitPrice, string Description)
{
    /// <summary>The line as QuickBooks will take it. Pure; throws <see cref="ArgumentException"/> for a discount outside 0–100 %.</summary>
    public static SalesLineFigures For(InvoiceLine line)
    {
        var discount = line.DiscountPercent ?? 0m;
        if (discount is < 0m or > 100m)
            throw new ArgumentException($"The discount on '{line.Description}' is {discount} %; it must be between 0 and 100 %.", nameof(line));
        var gross = Round(line.Quantity * line.UnitPrice);
        var amount = line.Amount != 0m ? line.Amount : Round(gross * (100m - discount) / 100m);
        if (discount != 0m)
        {
            var description = $"{line.Description} ({discount.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}% discount)";
            return new SalesLineFigures(amount, line.Quantity == 0m ? null : line.Quantity, null, description);
        }
        if (line.Quantity != 0m && gross == amount)
            return new SalesLineFigures(amount, line.Quantity, line.UnitPrice, line.Description);
        return new SalesLineFigures(amount, line.Quantity == 0m ? null : line.Quantity, null, line.Description);
    }

    /// <summary>Half away from zero, as the amounts QuickBooks checks lines against.</summary>
    public static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    /// <summary>The customer memo printed on the invoice: the purchase order number first, then the message.</summary>
    public static string? CustomerMemo(string? purchaseOrder, string? message)
    {
        var po = string.IsNullOrWhiteSpace(purchaseOrder) ? null : "PO: " + purchaseOrder.Trim();
        var text = string.IsNullOrWhiteSpace(message) ? null : message.Trim();
        return po is null ? text : text is null ? po : po + "\n" + text;
    }
}
