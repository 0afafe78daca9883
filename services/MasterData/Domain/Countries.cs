using QuoteToCash.Contracts;

namespace QuoteToCash.MasterData.Domain;

/// <summary>
/// CRMs often hold countries as free text ("United Kingdom", "usa"). Accounting wants ISO 3166 two-letter codes, so
/// the common spellings are turned into codes; anything else is kept as typed and shows up in review.
/// </summary>
public static class Countries
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["united states"] = "US", ["united states of america"] = "US", ["usa"] = "US", ["u.s.a."] = "US", ["u.s."] = "US", ["america"] = "US",
        ["united kingdom"] = "GB", ["uk"] = "GB", ["u.k."] = "GB", ["great britain"] = "GB", ["britain"] = "GB", ["england"] = "GB",
        ["scotland"] = "GB", ["wales"] = "GB", ["northern ireland"] = "GB",
        ["ireland"] = "IE", ["canada"] = "CA", ["australia"] = "AU", ["new zealand"] = "NZ", ["germany"] = "DE", ["deutschland"] = "DE",
        ["france"] = "FR", ["spain"] = "ES", ["españa"] = "ES", ["italy"] = "IT", ["italia"] = "IT", ["netherlands"] = "NL",
        ["the netherlands"] = "NL", ["holland"] = "NL", ["belgium"] = "BE", ["switzerland"] = "CH", ["austria"] = "AT", ["sweden"] = "SE",
        ["norway"] = "NO", ["denmark"] = "DK", ["finland"] = "FI", ["poland"] = "PL", ["portugal"] = "PT", ["mexico"] = "MX",
        ["brazil"] = "BR", ["india"] = "IN", ["japan"] = "JP", ["china"] = "CN", ["singapore"] = "SG", ["south africa"] = "ZA",
        ["united arab emirates"] = "AE", ["uae"] = "AE", ["israel"] = "IL", ["south korea"] = "KR", ["hong kong"] = "HK",
    };

    /// <summary>The ISO code for a country as typed, or the text unchanged when it is not a known spelling.</summary>
    public static string? Normalize(string? country)
    {
        if (string.IsNullOrWhiteSpace(country))
            return country;
        var trimmed = country.Trim();
        if (trimmed.Length == 2 && CustomerValidation.IsCountry(trimmed.ToUpperInvariant()))
            return trimmed.ToUpperInvariant();
        return Names.GetValueOrDefault(trimmed) ?? trimmed;
    }

    public static PostalAddress? Normalize(PostalAddress? address) =>
        address is null ? null : address with { Country = Normalize(address.Country) };
}
