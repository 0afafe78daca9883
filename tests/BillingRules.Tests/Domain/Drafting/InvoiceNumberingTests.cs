using QuoteToCash.BillingRules.Domain;

namespace QuoteToCash.BillingRules.Tests.Domain.Drafting;

public class InvoiceNumberingTests
{
    [Fact]
    public void QuickBooks_numbers_the_invoice_by_default_so_no_number_is_sent()
    {
        var policy = new NumberingPolicy();

        Assert.Equal(NumberingMode.QuickBooks, policy.Mode);
        Assert.Null(InvoiceNumbering.Format(policy, 42));
    }

    [Theory]
    [InlineData("INV-", 5, 42, "INV-00042")]
    [InlineData("INV-", 5, 1, "INV-00001")]
    [InlineData("INV-", 5, 1234567, "INV-1234567")]
    [InlineData("HP/2026/", 4, 7, "HP/2026/0007")]
    [InlineData("", 6, 315, "000315")]
    public void A_tenant_sequence_is_the_prefix_and_the_zero_padded_number(string prefix, int digits, long number, string expected)
    {
        var policy = new NumberingPolicy { Mode = NumberingMode.TenantSequence, Prefix = prefix, Digits = digits };

        Assert.Equal(expected, InvoiceNumbering.Format(policy, number));
    }

    [Fact]
    public void A_number_longer_than_QuickBooks_accepts_is_refused_with_the_reason()
    {
        var policy = new NumberingPolicy { Mode = NumberingMode.TenantSequence, Prefix = "HARBOUR-PINE-2026-", Digits = 5 };

        var error = Assert.Throws<ArgumentException>(() => InvoiceNumbering.Format(policy, 42));

        Assert.Contains("23 characters; QuickBooks allows 21", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Numbers_start_at_one()
    {
        var policy = new NumberingPolicy { Mode = NumberingMode.TenantSequence };

        Assert.Equal(1, policy.NextNumber);
        Assert.Throws<ArgumentOutOfRangeException>(() => InvoiceNumbering.Format(policy, 0));
    }
}
