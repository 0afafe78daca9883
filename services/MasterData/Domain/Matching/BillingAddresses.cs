using System.Collections.Frozen;
using QuoteToCash.Contracts;

namespace QuoteToCash.MasterData.Domain.Matching;

/// <summary>
/// A billing address reduced to a comparable key: country, postal code (or city when there is none), house
/// number and street words, with street types abbreviated one way ("Street" and "St." are "st";
/// "Straße" and "Str." are "str"). Suite and floor lines are left out: one company, one building.
/// </summary>
public static class BillingAddresses
{
    private static readonly FrozenDictionary<string, string> StreetWords = new Dictionary<string, string>
    {
        ["street"] = "st", ["str"] = "str", ["strasse"] = "str", ["road"] = "rd", ["avenue"] = "ave", ["av"] = "ave",
        ["boulevard"] = "blvd", ["drive"] = "dr", ["lane"] = "ln", ["place"] = "pl", ["square"] = "sq", ["court"] = "ct",
        ["parkway"] = "pkwy", ["highway"] = "hwy", ["terrace"] = "ter", ["crescent"] = "cres", ["close"] = "cl",
        ["north"] = "n", ["south"] = "s", ["east"] = "e", ["west"] = "w", ["suite"] = "ste", ["floor"] = "fl",
        ["building"] = "bldg", ["mount"] = "mt", ["saint"] = "st",
    }.ToFrozenDictionary();

    /// <summary>The comparable key of an address, or null when it lacks a street line or both postal code and city.</summary>
    public static string? KeyOf(PostalAddress? address)
    {
        if (address is null || string.IsNullOrWhiteSpace(address.Line1))
            return null;
        var words = Words(address.Line1);
        // "Unit 4, 10 King St" and "10 King St, Suite 200": the house number is the first number on the street line.
        var cut = words.FindIndex(w => w is "ste" or "fl" or "unit" or "apt" or "bldg" or "po");
        var number = words.Where((w, i) => char.IsDigit(w[0]) && (cut < 0 || i != cut + 1)).FirstOrDefault() ?? string.Empty;
        var street = words.Where((w, i) => !char.IsDigit(w[0]) && (cut < 0 || i < cut || i > cut + 1)).ToList();
        if (street.Count == 0)
            return null;
        var postalCode = new string((address.PostalCode ?? string.Empty).Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        var country = Countries.Normalize(address.Country) ?? string.Empty;
        if (country == "US" && postalCode.Length > 5)
            postalCode = postalCode[..5];
        var place = postalCode.Length > 0 ? postalCode : CompanyName.Normalize(address.City);
        if (place.Length == 0)
            return null;
        return $"{country}|{place}|{number}|{string.Join(' ', street)}";
    }

    private static List<string> Words(string line)
    {
        var words = new List<string>();
        foreach (var raw in LatinText.Fold(line).Replace(".", string.Empty, StringComparison.Ordinal)
                     .Split((char[])[' ', ',', ';', '-', '/', '#', '(', ')', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var word = new string(raw.Where(char.IsLetterOrDigit).ToArray());
            if (word.Length == 0)
                continue;
            // German compounds: "Hauptstraße" / "Hauptstr." / "Hauptstrasse" all become "haupt str".
            foreach (var ending in (string[])["strasse", "str"])
            {
                if (word.Length > ending.Length + 2 && word.EndsWith(ending, StringComparison.Ordinal) && !char.IsDigit(word[0]))
                {
                    words.Add(word[..^ending.Length]);
                    word = "str";
                    break;
                }
            }
            words.Add(StreetWords.GetValueOrDefault(word, word));
        }
        return words;
    }
}
