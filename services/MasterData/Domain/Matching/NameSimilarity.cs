using System.Collections.Frozen;

namespace QuoteToCash.MasterData.Domain.Matching;

/// <summary>How alike two normalized names are, 0..1, and whether one is the other's abbreviation.</summary>
public readonly record struct NameMatch(double Similarity, bool IsAbbreviation)
{
    public static readonly NameMatch None = new(0, false);
}

/// <summary>
/// Token-based name similarity: words are paired one-to-one (exactly, or as a typo of each other), and the
/// paired weight is compared with the weight of both names (a weighted Dice coefficient). Words that many
/// unrelated companies share ("Group", "Services", "Consulting") weigh little; connectives weigh almost nothing.
/// </summary>
public static class NameSimilarity
{
    public const double CommonWordWeight = 0.3;
    public const double ConnectiveWeight = 0.1;
    public const double AbbreviationSimilarity = 0.8;

    /// <summary>
    /// Applied when each name keeps a word the other lacks ("Contoso Logistics" / "Contoso Consulting"):
    /// one brand with two different qualifiers is the pattern of sister companies, not of one company.
    /// </summary>
    public const double DifferentQualifiersFactor = 0.8;

    private static readonly FrozenSet<string> Connectives = FrozenSet.ToFrozenSet(
    [
        "and", "of", "for", "the", "de", "du", "des", "la", "le", "les", "el", "los", "y", "et", "und", "van", "der", "den",
        "von", "da", "di", "del", "do", "dos", "a", "an", "at", "in", "on",
    ]);

    /// <summary>Words many unrelated companies carry; they say what a company does, not which company it is.</summary>
    private static readonly FrozenSet<string> CommonWords = FrozenSet.ToFrozenSet(
    [
        "group", "service", "consulting", "solution", "holding", "international", "global", "system", "technology",
        "partner", "associate", "enterprise", "industry", "management", "trading", "capital", "venture", "lab", "studio",
        "agency", "media", "digital", "software", "network", "national", "worldwide", "america", "american", "europe",
        "european", "north", "south", "east", "west", "united", "general", "first", "new", "center", "company", "business",
        "resources", "investment", "investments", "development", "marketing", "design", "engineering", "construction",
        "manufacturing", "product", "logistics", "supply", "energy", "health", "healthcare", "medical", "financial", "finance",
        "insurance", "properties", "property", "realty", "real", "estate", "foods", "food", "retail", "communications",
        "data", "it", "consultant", "advisors", "advisory", "legal", "law", "office", "home", "care", "cloud", "online",
    ]);

    public static double WeightOf(string word) =>
        Connectives.Contains(word) ? ConnectiveWeight
        : CommonWords.Contains(word) ? CommonWordWeight
        : word.Length == 1 ? 0.5
        : 1.0;

    /// <summary>True for a word that says which company this is (not a connective, not a common business word).</summary>
    public static bool IsDistinctive(string word) => WeightOf(word) >= 1.0;

    /// <summary>The best match between any name of one customer and any name of the other.</summary>
    public static NameMatch Best(IReadOnlyList<string> namesA, IReadOnlyList<string> namesB)
    {
        var best = NameMatch.None;
        foreach (var a in namesA)
            foreach (var b in namesB)
            {
                var match = Compare(a, b);
                if (match.Similarity > best.Similarity || (match.Similarity == best.Similarity && best.IsAbbreviation && !match.IsAbbreviation))
                    best = match;
            }
        return best;
    }

    /// <summary>Compares two normalized names (as <see cref="CompanyName.Normalize"/> writes them).</summary>
    public static NameMatch Compare(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
            return NameMatch.None;
        if (a == b || Compact(a) == Compact(b))
            return new NameMatch(1.0, false);
        var wordsA = a.Split(' ');
        var wordsB = b.Split(' ');
        var similarity = Math.Max(WeightedDice(wordsA, wordsB), CompactSimilarity(Compact(a), Compact(b)));
        if (similarity < AbbreviationSimilarity && (IsAcronymOf(wordsA, wordsB) || IsAcronymOf(wordsB, wordsA)))
            return new NameMatch(AbbreviationSimilarity, true);
        return new NameMatch(similarity, false);
    }

    /// <summary>Letters of a multi-word name's words, skipping connectives: "international business machines" → "ibm".</summary>
    public static string? Acronym(IReadOnlyList<string> words)
    {
        var initials = words.Where(w => !Connectives.Contains(w) && !char.IsDigit(w[0])).Select(w => w[0]).ToArray();
        return initials.Length >= 3 ? new string(initials) : null;
    }

    private static bool IsAcronymOf(string[] shortName, string[] longName) =>
        shortName.Length == 1 && shortName[0].Length is >= 3 and <= 6 && Acronym(longName) == shortName[0];

    private static string Compact(string name) => name.Replace(" ", string.Empty, StringComparison.Ordinal);

    private static double WeightedDice(string[] a, string[] b)
    {
        var pairs = new List<(double Similarity, double Weight, string First, string Second, int I, int J)>();
        for (var i = 0; i < a.Length; i++)
            for (var j = 0; j < b.Length; j++)
            {
                var similarity = WordSimilarity(a[i], b[j]);
                if (similarity > 0)
                {
                    // Ordered so that comparing b with a visits the same pairs in the same order.
                    var (first, second) = string.CompareOrdinal(a[i], b[j]) <= 0 ? (a[i], b[j]) : (b[j], a[i]);
                    pairs.Add((similarity, (WeightOf(a[i]) + WeightOf(b[j])) / 2, first, second, i, j));
                }
            }
        pairs.Sort((x, y) =>
        {
            var bySimilarity = y.Similarity.CompareTo(x.Similarity);
            if (bySimilarity != 0)
                return bySimilarity;
            var byWeight = y.Weight.CompareTo(x.Weight);
            if (byWeight != 0)
                return byWeight;
            var byFirst = string.CompareOrdinal(x.First, y.First);
            return byFirst != 0 ? byFirst : string.CompareOrdinal(x.Second, y.Second);
        });

        var usedA = new bool[a.Length];
        var usedB = new bool[b.Length];
        var matched = 0.0;
        foreach (var pair in pairs)
        {
            if (usedA[pair.I] || usedB[pair.J])
                continue;
            usedA[pair.I] = usedB[pair.J] = true;
            matched += pair.Similarity * pair.Weight;
        }
        var total = a.Sum(WeightOf) + b.Sum(WeightOf);
        var similarityOfNames = total == 0 ? 0 : Math.Min(1.0, 2 * matched / total);
        if (HasUnpairedQualifier(a, usedA) && HasUnpairedQualifier(b, usedB))
            similarityOfNames *= DifferentQualifiersFactor;
        return similarityOfNames;
    }

    private static bool HasUnpairedQualifier(string[] words, bool[] used)
    {
        for (var i = 0; i < words.Length; i++)
            if (!used[i] && WeightOf(words[i]) >= CommonWordWeight)
                return true;
        return false;
    }

    /// <summary>
    /// The names with spaces removed, allowing one typo in 8 letters or two in 12: catches a typo and a
    /// split or joined word together ("AzureBay Resorts" / "Azure Bay Reeorts"), which word pairing cannot.
    /// </summary>
    private static double CompactSimilarity(string a, string b)
    {
        var longest = Math.Max(a.Length, b.Length);
        var allowed = longest >= 12 ? 2 : longest >= 8 ? 1 : 0;
        if (allowed == 0 || a[0] != b[0] || Math.Abs(a.Length - b.Length) > allowed)
            return 0;
        var distance = EditDistance(a, b);
        return distance <= allowed ? 1.0 - (double)distance / longest : 0;
    }

    /// <summary>1 for the same word; less for a likely typo of a longer word (same first letter, one or two edits); else 0.</summary>
    public static double WordSimilarity(string a, string b)
    {
        if (a == b)
            return 1.0;
        if (a.Length < 4 || b.Length < 4 || a[0] != b[0] || char.IsDigit(a[0]) || char.IsDigit(b[0]))
            return 0;
        var longest = Math.Max(a.Length, b.Length);
        var allowed = longest >= 8 ? 2 : 1;
        if (Math.Abs(a.Length - b.Length) > allowed)
            return 0;
        var distance = EditDistance(a, b);
        return distance <= allowed ? 1.0 - (double)distance / longest : 0;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.</summary>
    private static int EditDistance(string a, string b)
    {
        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    value = Math.Min(value, previous2[j - 2] + 1);
                current[j] = value;
            }
            (previous2, previous, current) = (previous, current, previous2);
        }
        return previous[b.Length];
    }
}
