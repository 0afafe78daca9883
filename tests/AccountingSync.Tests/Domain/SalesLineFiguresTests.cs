using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.Contracts;

namespace QuoteToCash.AccountingSync.Tests.Domain;

/// <summary>The consulting firm's invoice lines as QuickBooks' line math takes them.</summary>
public class SalesLineFiguresTests
{
    private static InvoiceLine Line(decimal quantity, decimal unitPrice, decimal amount, decimal? discount = null) =>
        new() { Description = "Senior consultant, days", Quantity = quantity, UnitPrice = unitPrice, Amount = amount, DiscountPercent = discount };

    [Fact]
    public void A_line_whose_amount_is_quantity_times_price_goes_with_all_three()
    {
        Assert.Equal(new SalesLineFigures(3_150m, 3m, 1_050m, "Senior consultant, days"), SalesLineFigures.For(Line(3m, 1_050m, 3_150m)));
    }

    [Fact]
    public void A_discounted_line_goes_net_with_its_quantity_and_no_unit_price_and_names_the_discount()
    {
        var figures = SalesLineFigures.For(Line(3m, 1_050m, 2_835m, discount: 10m));

        Assert.Equal(new SalesLineFigures(2_835m, 3m, null, "Senior consultant, days (10% discount)"), figures);
    }

    [Fact]
    public void A_discounted_line_without_an_amount_gets_the_rounded_net_amount()
    {
        Assert.Equal(1_037.74m, SalesLineFigures.For(Line(1.5m, 733.33m, 0m, discount: 5.66m)).Amount);
        Assert.Equal(1_100m, SalesLineFigures.For(Line(1m, 1_100m, 0m)).Amount);
    }

    [Fact]
    public void An_amount_that_is_not_quantity_times_price_keeps_the_amount_and_lets_QuickBooks_derive_the_rate()
    {
        Assert.Equal(new SalesLineFigures(100m, 3m, null, "Senior consultant, days"), SalesLineFigures.For(Line(3m, 33.33m, 100m)));
        Assert.Equal(new SalesLineFigures(500m, null, null, "Senior consultant, days"), SalesLineFigures.For(Line(0m, 0m, 500m)));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.5)]
    public void A_discount_outside_0_to_100_percent_is_refused(decimal discount) =>
        Assert.Throws<ArgumentException>(() => SalesLineFigures.For(Line(1m, 100m, 0m, discount)));

    [Fact]
    public void The_purchase_order_heads_the_customer_memo()
    {
        Assert.Equal("PO: 4500012345\nThank you for your business.", SalesLineFigures.CustomerMemo(" 4500012345 ", "Thank you for your business."));
        Assert.Equal("PO: 4500012345", SalesLineFigures.CustomerMemo("4500012345", "  "));
        Assert.Equal("Thank you.", SalesLineFigures.CustomerMemo(null, "Thank you."));
        Assert.Null(SalesLineFigures.CustomerMemo(" ", null));
    }
}
