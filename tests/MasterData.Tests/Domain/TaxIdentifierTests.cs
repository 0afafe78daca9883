using QuoteToCash.MasterData.Domain;

namespace QuoteToCash.MasterData.Tests.Domain;

public class TaxIdentifierTests
{
    [Theory]
    [InlineData("GB 123 4567 89", "••••6789")]
    [InlineData("12-3456789", "••••6789")]
    [InlineData("DE123456789", "••••6789")]
    [InlineData("1234", "••••")]
    [InlineData("12", "••••")]
    public void Only_the_last_four_letters_or_digits_of_a_longer_id_show(string taxId, string masked) =>
        Assert.Equal(masked, TaxIdentifier.Mask(taxId));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void No_tax_id_stays_none(string? taxId) => Assert.Null(TaxIdentifier.Mask(taxId));
}
