using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using QuoteToCash.BillingRules.Domain;
using static QuoteToCash.BillingRules.Tests.Domain.Drafting.ContosoBilling;

namespace QuoteToCash.BillingRules.Tests.Domain.Drafting;

/// <summary>A due invoice in some currency, with lines as contracts produce them: priced, discounted, allocated, under purchase orders.</summary>
public sealed record DraftingCase(string Currency, DueInvoice Due)
{
    public override string ToString() =>
        $"{Currency}: " + string.Join("; ", Due.Lines.Select(l => $"{l.Quantity} × {l.UnitPrice} −{l.DiscountPercent}% = {l.Amount} [{l.PurchaseOrder}]"));
}

/// <summary>Generators for <see cref="DraftingProperties"/>.</summary>
public static class DraftingCases
{
    private static readonly string[] Currencies = ["JPY", "KRW", "USD", "GBP", "EUR", "KWD", "BHD", "OMR", "TND"];
    private static readonly string?[] PurchaseOrders = [null, null, "PO-1", "po-1 ", "PO-2", " "];

    private static Gen<decimal> Scaled(int min, int max, int scale) =>
        Gen.Choose(min, max).Select(n => n / (decimal)Math.Pow(10, scale));

    private static readonly Gen<ChargeLine> Line =
        from quantity in Gen.OneOf(Gen.Constant(1m), Scaled(-2_000, 20_000, 2), Scaled(1, 100, 0))
        from price in Gen.OneOf(Scaled(0, 5_000_000, 2), Scaled(1, 99_999_999, 4), Scaled(1, 9_999, 3))
        from discount in Gen.Frequency((3, Gen.Constant(0m)), (2, Scaled(0, 10_000, 2)), (1, Gen.Elements(10m, 12.5m, 15m, 33.333m)))
        from share in Gen.Frequency((3, Gen.Constant(1m)), (1, Gen.Elements(0.5m, 0.25m, 1m / 3m, 0.3m)))
        from purchaseOrder in Gen.Elements(PurchaseOrders)
        from manual in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new ChargeLine
        {
            Description = "Charge",
            Product = "sku:CONSULT",
            Quantity = quantity,
            UnitPrice = price,
            DiscountPercent = discount,
            Amount = quantity * price * (100 - discount) / 100 * share,
            PurchaseOrder = purchaseOrder,
            Manual = manual,
        };

    public static Arbitrary<DraftingCase> Cases() =>
        (from currency in Gen.Elements(Currencies)
         from lines in Gen.NonEmptyListOf(Line)
         select new DraftingCase(currency, new DueInvoice
         {
             Key = "tm:2026-03-01",
             Kind = ChargeKind.TimeAndMaterials,
             BillOn = new DateOnly(2026, 4, 1),
             Lines = lines.ToList(),
         })).ToArbitrary();
}

public class DraftingProperties
{
    [Property(Arbitrary = [typeof(DraftingCases)], MaxTest = 300)]
    public bool Drafted_line_amounts_always_add_up_to_the_invoice_total(DraftingCase c)
    {
        var result = InvoiceDrafter.Draft(c.Due, Context(c.Currency));

        return result.Invoices.Count > 0 && result.Invoices.All(i => i.Total == i.Lines.Sum(l => l.Amount));
    }

    [Property(Arbitrary = [typeof(DraftingCases)], MaxTest = 300)]
    public bool Every_line_reproduces_its_amount_from_quantity_price_and_discount_in_the_smallest_unit(DraftingCase c)
    {
        var digits = MinorUnits(c.Currency);
        var lines = InvoiceDrafter.Draft(c.Due, Context(c.Currency)).Invoices.SelectMany(i => i.Lines).ToList();

        return lines.Count == c.Due.Lines.Count
            && lines.All(l => Extended(l, c.Currency) == l.Amount && Math.Round(l.Amount, digits) == l.Amount);
    }

    [Property(Arbitrary = [typeof(DraftingCases)], MaxTest = 300)]
    public bool Splitting_by_purchase_order_neither_loses_nor_adds_money_and_ids_are_distinct_and_stable(DraftingCase c)
    {
        var first = InvoiceDrafter.Draft(c.Due, Context(c.Currency)).Invoices;
        var again = InvoiceDrafter.Draft(c.Due, Context(c.Currency)).Invoices;
        var digits = MinorUnits(c.Currency);
        var expected = c.Due.Lines.Sum(l => Math.Round(l.Amount, digits, MidpointRounding.AwayFromZero));

        return first.Sum(i => i.Total) == expected
            && first.Select(i => i.InvoiceId).Distinct().Count() == first.Count
            && first.Select(i => i.InvoiceId).SequenceEqual(again.Select(i => i.InvoiceId));
    }
}
