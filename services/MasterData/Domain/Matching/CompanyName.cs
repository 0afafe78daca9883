using System.Collections.Frozen;
using System.Text;

namespace QuoteToCash.MasterData.Domain.Matching;

/// <summary>
/// Company names reduced to what identifies the company: lower-case ASCII words without accents or
/// punctuation, "&amp;" written as "and", no leading "The", no trailing legal form (Inc, LLC, Ltd, GmbH,
/// S.A., Pty Ltd …), and common abbreviations written out ("Intl" → "international").
/// </summary>
public static class CompanyName
{
    /// <summary>Legal forms, as words after punctuation is removed ("S.A." is "sa"); longest first.</summary>
    private static readonly string[][] LegalForms = new[]
    {
        "s de rl de cv", "sa de cv", "s de rl", "sp z oo", "pty ltd", "pvt ltd", "private limited", "public limited company",
        "inc", "incorporated", "llc", "llp", "lllp", "lp", "ltd", "limited", "corp", "corporation", "co", "company", "plc", "pllc",
        "pc", "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "ug", "gbr", "ev", "sa", "sas", "sasu", "sarl", "sca", "scs", "srl", "spa",
        "sl", "slu", "sau", "bv", "nv", "vof", "cv", "pty", "pte", "pvt", "kk", "oy", "oyj", "ab", "as", "asa", "aps", "se",
        "sro", "kft", "zrt", "ltda", "cie", "spol",
    }.Select(form => form.Split(' ')).OrderByDescending(words => words.Length).ToArray();

    /// <summary>Written-out forms of abbreviations and plurals that name the same thing. No value is itself a key.</summary>
    private static readonly FrozenDictionary<string, string> Canonical = new Dictionary<string, string>
    {
        ["intl"] = "international", ["mfg"] = "manufacturing", ["svc"] = "service", ["svcs"] = "service", ["services"] = "service",
        ["tech"] = "technology", ["technologies"] = "technology", ["solutions"] = "solution", ["systems"] = "system",
        ["sys"] = "system", ["industries"] = "industry", ["holdings"] = "holding", ["partners"] = "partner",
        ["associates"] = "associate", ["assoc"] = "associate", ["labs"] = "lab", ["laboratories"] = "lab", ["laboratory"] = "lab",
        ["bros"] = "brothers", ["natl"] = "national", ["mgmt"] = "management", ["dept"] = "department", ["ctr"] = "center",
        ["centre"] = "center", ["grp"] = "group", ["eng"] = "engineering", ["engg"] = "engineering", ["st"] = "saint",
        ["consultants"] = "consulting", ["consultancy"] = "consulting", ["enterprises"] = "enterprise", ["networks"] = "network",
        ["studios"] = "studio", ["ventures"] = "venture", ["products"] = "product",
    }.ToFrozenDictionary();

    /// <summary>The normalized name: words separated by one space; empty when nothing identifying is left.</summary>
    public static string Normalize(string? name) => string.Join(' ', Words(name));

    /// <summary>The words of the normalized name.</summary>
    public static IReadOnlyList<string> Words(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return [];
        var words = Split(name);
        for (var i = 0; i < words.Count; i++)
            if (Canonical.TryGetValue(words[i], out var canonical))
                words[i] = canonical;

        // Drop leading "the" and trailing legal forms (and the "and" of "& Co") until neither applies,
        // always keeping one word: a company called "The Limited" is still called something.
        bool changed;
        do
        {
            changed = false;
            while (words.Count > 1 && words[0] == "the")
            {
                words.RemoveAt(0);
                changed = true;
            }
            if (words.Count > 1 && words[^1] == "and")
            {
                words.RemoveAt(words.Count - 1);
                changed = true;
            }
            foreach (var form in LegalForms)
            {
                if (words.Count > form.Length && EndsWith(words, form))
                {
                    words.RemoveRange(words.Count - form.Length, form.Length);
                    changed = true;
                    break;
                }
            }
        }
        while (changed);
        return words;
    }

    private static List<string> Split(string name)
    {
        var folded = new StringBuilder(name.Length + 8);
        foreach (var c in name)
        {
            switch (c)
            {
                case '&' or '+':
                    folded.Append(" and ");
                    break;
                // "S.A.", "Int'l", "McDonald's": the letters belong together.
                case '.' or '\'' or '\u2019' or '`' or '\u00B4':
                    break;
                default:
                    LatinText.AppendFolded(folded, c);
                    break;
            }
        }
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in folded.ToString())
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
                continue;
            }
            if (word.Length > 0)
                words.Add(word.ToString());
            word.Clear();
        }
        if (word.Length > 0)
            words.Add(word.ToString());
        return words;
    }

    private static bool EndsWith(List<string> words, string[] suffix)
    {
        var offset = words.Count - suffix.Length;
        for (var i = 0; i < suffix.Length; i++)
            if (words[offset + i] != suffix[i])
                return false;
        return true;
    }
}
