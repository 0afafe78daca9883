namespace QuoteToCash.MasterData.Domain.Matching;

/// <summary>A tax ID reduced to its significant letters and digits, with the country it belongs to when known.</summary>
public readonly record struct NormalizedTaxId(string Country, string Number)
{
    /// <summary>The same registration: equal numbers, and countries that agree (or one of them unknown).</summary>
    public bool SameAs(NormalizedTaxId other) =>
        Number == other.Number && (Country.Length == 0 || other.Country.Length == 0 || Country == other.Country);
}

public static class TaxIds
{
    private const int MinimumLength = 5;

    /// <summary>
    /// "GB 123 4567 89", "gb123456789" and "123456789" (with country GB) are one VAT number; "12-3456789" is the
    /// EIN 123456789. An EU VAT prefix ("DE", "EL" for Greece) gives the country. Placeholders ("N/A", "000000")
    /// and numbers too short to identify anything give null.
    /// </summary>
    public static NormalizedTaxId? Normalize(string? taxId, string? country)
    {
        if (string.IsNullOrWhiteSpace(taxId))
            return null;
        var significant = new string(taxId.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        var countryOfNumber = Countries.Normalize(country) ?? string.Empty;
        if (significant.Length >= 2 && char.IsAsciiLetter(significant[0]) && char.IsAsciiLetter(significant[1]) &&
            significant.Skip(2).Any(char.IsAsciiDigit))
        {
            var prefix = significant[..2] == "EL" ? "GR" : significant[..2];
            if (Countries.IsKnown(prefix))
            {
                countryOfNumber = prefix;
                significant = significant[2..];
            }
        }
        if (significant.Length < MinimumLength || significant.All(c => c == significant[0]) || !significant.Any(char.IsAsciiDigit))
            return null;
        return new NormalizedTaxId(countryOfNumber, significant);
    }
}
