namespace QuoteToCash.AccountingSync.Domain;

/// <summary>
/// QuickBooks Online's standard sales-tax exemption reasons (Customer.TaxExemptionReasonId 1–15) and the mapping of the
/// free text master data records to the closest of them. The API documents no "Other" reason, so text that matches
/// none is reported as unmatched and the customer is sent as non-taxable without a reason. Pure.
/// </summary>
public static class TaxExemptionReasons
{
    public sealed record Reason(string Id, string Name);

    public static readonly IReadOnlyList<Reason> Standard =
    [
        new("1", "Federal government"),
        new("2", "State government"),
        new("3", "Local government"),
        new("4", "Tribal government"),
        new("5", "Charitable organization"),
        new("6", "Religious organization"),
        new("7", "Educational organization"),
        new("8", "Hospital"),
        new("9", "Resale"),
        new("10", "Direct pay permit"),
        new("11", "Multiple points of use"),
        new("12", "Direct mail"),
        new("13", "Agricultural production"),
        new("14", "Industrial production / manufacturing"),
        new("15", "Foreign diplomat"),
    ];

    // Checked in this order: the specific phrases before the words they contain ("direct pay" before anything else,
    // a charity "registered with the state" is a charity, not the state government).
    private static readonly (string Id, string[] Words)[] Keywords =
    [
        ("15", ["diplomat*", "embassy", "embassies", "consul*"]),
        ("10", ["direct pay"]),
        ("12", ["direct mail"]),
        ("11", ["multiple points", "multiple point of use"]),
        ("9", ["resale", "resell*", "wholesale*", "re-sale"]),
        ("5", ["charit*", "non-profit", "nonprofit", "not-for-profit", "not for profit", "501(c)", "ngo"]),
        ("6", ["relig*", "church*", "mosque", "synagogue", "temple"]),
        ("7", ["educat*", "school*", "universit*", "college*", "academy"]),
        ("8", ["hospital*", "clinic*", "health care", "healthcare"]),
        ("4", ["tribal", "tribe*", "native american"]),
        ("13", ["agricult*", "farm*"]),
        ("14", ["manufactur*", "industrial", "production"]),
        ("1", ["federal", "national government", "u.s. government", "us government"]),
        ("2", ["state government", "state agency", "state"]),
        ("3", ["local government", "municipal", "city", "county", "council", "public sector", "government"]),
    ];

    /// <summary>The standard reason closest to <paramref name="text"/>, or null when none fits.</summary>
    public static Reason? Match(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var normalized = text.Trim().ToLowerInvariant();
        if (Standard.FirstOrDefault(r => r.Id == normalized || r.Name.Equals(normalized, StringComparison.OrdinalIgnoreCase)) is { } exact)
            return exact;
        foreach (var (id, words) in Keywords)
        {
            if (words.Any(w => ContainsWord(normalized, w)))
                return Standard.First(r => r.Id == id);
        }
        return null;
    }

    // Keywords match whole words ("state" is not in "statement"); a keyword ending in '*' is a stem ("charit*" matches
    // "charity" and "charitable").
    private static bool ContainsWord(string text, string keyword)
    {
        var stem = keyword.EndsWith('*');
        var word = stem ? keyword[..^1] : keyword;
        for (var index = text.IndexOf(word, StringComparison.Ordinal); index >= 0; index = text.IndexOf(word, index + 1, StringComparison.Ordinal))
        {
            var startsWord = index == 0 || !char.IsLetterOrDigit(text[index - 1]);
            var end = index + word.Length;
            var endsWord = stem || end == text.Length || !char.IsLetterOrDigit(text[end]);
            if (startsWord && endsWord)
                return true;
        }
        return false;
    }
}
