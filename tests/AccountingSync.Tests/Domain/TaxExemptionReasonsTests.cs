using QuoteToCash.AccountingSync.Domain;

namespace QuoteToCash.AccountingSync.Tests.Domain;

public sealed class TaxExemptionReasonsTests
{
    [Theory]
    [InlineData("Registered charity", "5")]
    [InlineData("Non-profit registered with the state", "5")]
    [InlineData("Reseller (resale certificate on file)", "9")]
    [InlineData("State government agency", "2")]
    [InlineData("City council", "3")]
    [InlineData("Federal government", "1")]
    [InlineData("University", "7")]
    [InlineData("Embassy of Norway", "15")]
    [InlineData("Direct pay permit", "10")]
    [InlineData("Manufacturing inputs", "14")]
    [InlineData("9", "9")]
    [InlineData("Hospital", "8")]
    public void Free_text_maps_to_the_closest_standard_reason(string text, string expected) =>
        Assert.Equal(expected, TaxExemptionReasons.Match(text)?.Id);

    [Theory]
    [InlineData("See statement from finance")]
    [InlineData("Exempt")]
    [InlineData("")]
    [InlineData(null)]
    public void Text_that_fits_no_standard_reason_is_unmatched(string? text) => Assert.Null(TaxExemptionReasons.Match(text));
}
