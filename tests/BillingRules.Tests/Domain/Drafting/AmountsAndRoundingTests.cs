using QuoteToCash.BillingRules.Domain;
using static QuoteToCash.BillingRules.Tests.Domain.Drafting.ContosoBilling;

namespace QuoteToCash.BillingRules.Tests.Domain.Drafting;

public class AmountsAndRoundingTests
{
    /// <summary>Raw quantity × price with more decimals than the currency has, as a contract's proration or rate card gives them.</summary>
    private static DueInvoice Unrounded(params (decimal Quantity, decimal UnitPrice, decimal Discount)[] lines) => new()
    {
        Key = "tm:2026-03-01",
        Kind = ChargeKind.TimeAndMaterials,
        BillOn = new DateOnly(2026, 4, 1),
        Lines = lines.Select((l, i) => new ChargeLine
        {
            Description = $"Line {i + 1}",
            Product = "sku:CONSULT",
            Quantity = l.Quantity,
            UnitPrice = l.UnitPrice,
            DiscountPercent = l.Discount,
            Amount = l.Quantity * l.UnitPrice * (100 - l.Discount) / 100,
        }).ToList(),
    };

    [Fact]
    public void Yen_have_no_decimals()
    {
        var invoice = Assert.Single(InvoiceDrafter.Draft(Unrounded((2.5m, 1001m, 0m), (1m, 0.5m, 0m), (3m, 333.33m, 10m)), Context("JPY")).Invoices);

        // 2502.5 → 2503, 0.5 → 1, 899.991 → 900
        Assert.Equal([2503m, 1m, 900m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal(3404m, invoice.Total);
        Assert.All(invoice.Lines, l => Assert.Equal(0, l.Amount.Scale));
    }

    [Fact]
    public void Dollars_have_two_decimals()
    {
        var invoice = Assert.Single(InvoiceDrafter.Draft(Unrounded((3m, 33.335m, 0m), (7m, 14.285m, 0m), (1m, 19.99m, 12.5m)), Context("USD")).Invoices);

        // 100.005 → 100.01, 99.995 → 100.00, 17.49125 → 17.49
        Assert.Equal([100.01m, 100.00m, 17.49m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal(217.50m, invoice.Total);
    }

    [Fact]
    public void Kuwaiti_dinars_have_three_decimals()
    {
        var invoice = Assert.Single(InvoiceDrafter.Draft(Unrounded((3m, 1.0005m, 0m), (1m, 2.22249m, 0m), (4m, 0.3335m, 5m)), Context("KWD")).Invoices);

        // 3.0015 → 3.002, 2.22249 → 2.222, 1.26730 → 1.267
        Assert.Equal([3.002m, 2.222m, 1.267m], invoice.Lines.Select(l => l.Amount));
        Assert.Equal(6.491m, invoice.Total);
    }

    [Theory]
    [InlineData("JPY")]
    [InlineData("USD")]
    [InlineData("GBP")]
    [InlineData("KWD")]
    [InlineData("BHD")]
    public void Lines_reconcile_to_the_total_to_the_smallest_unit(string currency)
    {
        var due = Unrounded((0.333m, 1234.5678m, 0m), (17m, 0.0333m, 0m), (2.75m, 99.999m, 7.5m), (1m, 1m / 3m, 0m), (-1.5m, 10.005m, 0m));

        var invoice = Assert.Single(InvoiceDrafter.Draft(due, Context(currency)).Invoices);

        Assert.Equal(invoice.Lines.Sum(l => l.Amount), invoice.Total);
        Assert.All(invoice.Lines, l =>
        {
            Assert.Equal(Math.Round(l.Amount, MinorUnits(currency)), l.Amount);
            Assert.Equal(Extended(l, currency), l.Amount);
        });
    }

    [Fact]
    public void A_line_whose_price_reproduces_its_amount_keeps_its_quantity_price_and_discount()
    {
        var due = MarchTimeAndMaterials(new ChargeLine { Description = "Workshop", Product = "sku:CONSULT", Quantity = 10, UnitPrice = 150m, DiscountPercent = 10, Amount = 1_350m });

        var workshop = Assert.Single(InvoiceDrafter.Draft(due, Context()).Invoices).Lines[2];

        Assert.Equal((10m, 150m, 10m, 10m, 1_350m), (workshop.Quantity, workshop.UnitPrice, workshop.DiscountPercent, workshop.DealDiscountPercent, workshop.Amount));
    }

    [Fact]
    public void An_instalment_bills_its_allocated_amount_as_quantity_one_at_that_price()
    {
        var invoice = Assert.Single(InvoiceDrafter.Draft(DepositInstalment(), Context()).Invoices);

        var line = Assert.Single(invoice.Lines);
        Assert.Equal((1m, 9_250m, 0m, 9_250m), (line.Quantity, line.UnitPrice, line.DiscountPercent, line.Amount));
        Assert.Equal(9_250m, invoice.Total);
        Assert.Equal(Extended(line, "GBP"), line.Amount);
        Assert.Contains("\"ERP rollout, phase 1: 50% on signing\" bills an allocated 9,250.00 GBP of 1 × 18,500.00 GBP, shown as quantity 1 at that amount.", invoice.Notes);
    }

    [Fact]
    public void A_discounted_instalment_keeps_the_deals_discount_for_approval_while_its_price_includes_it()
    {
        var line = Assert.Single(InvoiceDrafter.Draft(DepositInstalment(discountPercent: 15), Context()).Invoices).Lines.Single();

        Assert.Equal((1m, 7_862.50m, 0m, 7_862.50m), (line.Quantity, line.UnitPrice, line.DiscountPercent, line.Amount));
        Assert.Equal(15m, line.DealDiscountPercent);
    }

    [Fact]
    public void An_amount_the_contract_left_unrounded_is_rounded_once_and_the_price_follows_it()
    {
        var due = DepositInstalment();
        due.Lines[0].Amount = 9_250.004999m;

        var line = Assert.Single(InvoiceDrafter.Draft(due, Context()).Invoices).Lines.Single();

        Assert.Equal((9_250m, 9_250m), (line.UnitPrice, line.Amount));
    }
}
