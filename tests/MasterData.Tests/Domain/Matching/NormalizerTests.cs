using QuoteToCash.Contracts;
using QuoteToCash.MasterData.Domain.Matching;

namespace QuoteToCash.MasterData.Tests.Domain.Matching;

public class EmailDomainsTests
{
    [Theory]
    [InlineData("https://www.contoso.com/about", "contoso.com")]
    [InlineData("contoso.com", "contoso.com")]
    [InlineData("ap@billing.contoso.co.uk", "contoso.co.uk")]
    [InlineData("Anna <anna@Contoso.COM>", "contoso.com")]
    [InlineData("not a domain", null)]
    [InlineData("", null)]
    public void Reduces_websites_and_emails_to_the_registrable_domain(string value, string? expected) =>
        Assert.Equal(expected, EmailDomains.Normalize(value));

    [Fact]
    public void Free_mail_domains_identify_nobody()
    {
        var domains = EmailDomains.CompanyDomains(null, ["owner@gmail.com", "ap@yahoo.co.uk", "anna@contoso.com", "ben@contoso.com"]);

        Assert.Equal(["contoso.com"], domains);
    }
}

public class TaxIdsTests
{
    [Fact]
    public void A_vat_number_is_the_same_with_or_without_country_prefix_and_spacing()
    {
        var withPrefix = TaxIds.Normalize("GB 284 1932 06", null);
        var bare = TaxIds.Normalize("284193206", "United Kingdom");

        Assert.Equal(new NormalizedTaxId("GB", "284193206"), withPrefix);
        Assert.True(withPrefix!.Value.SameAs(bare!.Value));
    }

    [Fact]
    public void An_ein_keeps_its_digits_and_greek_vat_uses_the_country_code()
    {
        Assert.Equal("123456789", TaxIds.Normalize("12-3456789", "US")!.Value.Number);
        Assert.Equal(new NormalizedTaxId("GR", "094019245"), TaxIds.Normalize("EL094019245", null));
    }

    [Fact]
    public void The_same_number_in_two_countries_is_two_registrations() =>
        Assert.False(TaxIds.Normalize("123456789", "GB")!.Value.SameAs(TaxIds.Normalize("123456789", "DE")!.Value));

    [Theory]
    [InlineData("N/A")]
    [InlineData("000000000")]
    [InlineData("1234")]
    [InlineData(" ")]
    public void Placeholders_are_no_tax_id(string value) => Assert.Null(TaxIds.Normalize(value, "GB"));
}

public class BillingAddressesTests
{
    [Fact]
    public void Street_types_and_punctuation_do_not_make_a_different_address() =>
        Assert.Equal(
            BillingAddresses.KeyOf(new PostalAddress { Line1 = "10 King Street", PostalCode = "LS1 4AP", City = "Leeds", Country = "GB" }),
            BillingAddresses.KeyOf(new PostalAddress { Line1 = "10, King St.", PostalCode = "ls14ap", City = "LEEDS", Country = "United Kingdom" }));

    [Fact]
    public void German_street_spellings_and_the_suite_line_are_one_address() =>
        Assert.Equal(
            BillingAddresses.KeyOf(new PostalAddress { Line1 = "Königstraße 28", PostalCode = "70173", Country = "DE" }),
            BillingAddresses.KeyOf(new PostalAddress { Line1 = "Königstr. 28, Suite 4", PostalCode = "70173", Country = "DE" }));

    [Fact]
    public void A_zip_plus_four_is_the_zip_code() =>
        Assert.Equal(
            BillingAddresses.KeyOf(new PostalAddress { Line1 = "1 Microsoft Way", PostalCode = "98052", Country = "US" }),
            BillingAddresses.KeyOf(new PostalAddress { Line1 = "1 Microsoft Way", PostalCode = "98052-6399", Country = "US" }));

    [Fact]
    public void Another_house_number_is_another_address() =>
        Assert.NotEqual(
            BillingAddresses.KeyOf(new PostalAddress { Line1 = "10 King Street", PostalCode = "LS1 4AP", Country = "GB" }),
            BillingAddresses.KeyOf(new PostalAddress { Line1 = "12 King Street", PostalCode = "LS1 4AP", Country = "GB" }));

    [Fact]
    public void Without_street_or_place_there_is_no_address_key()
    {
        Assert.Null(BillingAddresses.KeyOf(new PostalAddress { City = "Leeds", Country = "GB" }));
        Assert.Null(BillingAddresses.KeyOf(new PostalAddress { Line1 = "10 King Street", Country = "GB" }));
        Assert.Null(BillingAddresses.KeyOf(null));
    }
}
