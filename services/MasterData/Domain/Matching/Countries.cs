using System.Collections.Frozen;

namespace QuoteToCash.MasterData.Domain.Matching;

/// <summary>ISO 3166-1 alpha-2 codes from what CRMs put in a country field ("GB", "UK", "United Kingdom").</summary>
public static class Countries
{
    private static readonly FrozenSet<string> Codes = FrozenSet.ToFrozenSet(
    [
        "AD", "AE", "AR", "AT", "AU", "BE", "BG", "BR", "CA", "CH", "CL", "CN", "CO", "CY", "CZ", "DE", "DK", "EE", "EG", "ES",
        "FI", "FR", "GB", "GR", "HK", "HR", "HU", "ID", "IE", "IL", "IN", "IS", "IT", "JP", "KR", "LI", "LT", "LU", "LV", "MT",
        "MX", "MY", "NG", "NL", "NO", "NZ", "PE", "PH", "PK", "PL", "PT", "RO", "RS", "RU", "SA", "SE", "SG", "SI", "SK", "TH",
        "TR", "TW", "UA", "US", "VN", "XI", "ZA",
    ]);

    private static readonly FrozenDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["uk"] = "GB", ["united kingdom"] = "GB", ["great britain"] = "GB", ["england"] = "GB", ["scotland"] = "GB", ["wales"] = "GB",
        ["usa"] = "US", ["united states"] = "US", ["united states of america"] = "US", ["us"] = "US", ["america"] = "US",
        ["germany"] = "DE", ["deutschland"] = "DE", ["france"] = "FR", ["spain"] = "ES", ["espana"] = "ES", ["italy"] = "IT",
        ["italia"] = "IT", ["netherlands"] = "NL", ["the netherlands"] = "NL", ["holland"] = "NL", ["ireland"] = "IE",
        ["canada"] = "CA", ["australia"] = "AU", ["new zealand"] = "NZ", ["switzerland"] = "CH", ["austria"] = "AT",
        ["belgium"] = "BE", ["sweden"] = "SE", ["norway"] = "NO", ["denmark"] = "DK", ["finland"] = "FI", ["poland"] = "PL",
        ["portugal"] = "PT", ["japan"] = "JP", ["india"] = "IN", ["brazil"] = "BR", ["mexico"] = "MX", ["singapore"] = "SG",
        ["south africa"] = "ZA", ["greece"] = "GR", ["el"] = "GR",
    }.ToFrozenDictionary();

    public static bool IsKnown(string code) => Codes.Contains(code);

    /// <summary>The alpha-2 code, or null when the field is empty or unrecognised.</summary>
    public static string? Normalize(string? country)
    {
        if (string.IsNullOrWhiteSpace(country))
            return null;
        var folded = CompanyName.Normalize(country);
        if (Names.TryGetValue(folded, out var named))
            return named;
        var code = folded.ToUpperInvariant();
        return code.Length == 2 && Codes.Contains(code) ? code : null;
    }
}
