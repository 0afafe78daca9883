using QuoteToCash.Contracts;
using QuoteToCash.MasterData.Domain.Matching;

namespace QuoteToCash.MasterData.Domain;

/// <summary>
/// CRMs often hold countries as free text ("United Kingdom", "usa"). Accounting wants ISO 3166 two-letter codes, so
/// the spellings matching knows are turned into codes; anything else is kept as typed and shows up in review.
/// </summary>
public static class PostalAddresses
{
    public static string? NormalizeCountry(string? country) =>
        string.IsNullOrWhiteSpace(country) ? country
        : country.Trim().Length == 2 && CustomerValidation.IsCountry(country.Trim().ToUpperInvariant()) ? country.Trim().ToUpperInvariant()
        : Countries.Normalize(country) ?? country.Trim();

    public static PostalAddress? NormalizeCountry(PostalAddress? address) =>
        address is null ? null : address with { Country = NormalizeCountry(address.Country) };
}
