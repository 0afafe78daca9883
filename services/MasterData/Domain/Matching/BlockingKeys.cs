using System.Text;

namespace QuoteToCash.MasterData.Domain.Matching;

/// <summary>
/// The few strings under which a customer is filed so that its likely duplicates can be found without
/// comparing it with every customer. True duplicates share at least one key: the same tax ID, company
/// domain or billing address; the same name written differently ("nam:"); a distinctive word ("tok:");
/// the consonant skeleton of the name's beginning, which survives most typos ("skl:"); or an acronym
/// ("acr:", so "IBM" meets "International Business Machines"). Common business words never become keys.
/// </summary>
public static class BlockingKeys
{
    public const int MaxKeyLength = 96;
    private const int MaxWordKeysPerName = 3;
    private const int SkeletonLength = 6;

    public static IReadOnlyList<string> For(MatchProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var keys = new List<string>();
        if (profile.TaxNumber is { } taxNumber)
            Add(keys, "tax:", taxNumber);
        foreach (var domain in profile.Domains.Take(3))
            Add(keys, "dom:", domain);
        if (profile.AddressKey is { } address)
            Add(keys, "adr:", address);
        foreach (var name in profile.Names.Take(2))
        {
            var words = name.Split(' ');
            Add(keys, "nam:", name.Replace(" ", string.Empty, StringComparison.Ordinal));
            foreach (var word in words.Where(w => w.Length >= 3 && NameSimilarity.IsDistinctive(w))
                         .Distinct()
                         .OrderByDescending(w => w.Length)
                         .ThenBy(w => w, StringComparer.Ordinal)
                         .Take(MaxWordKeysPerName))
                Add(keys, "tok:", word);
            if (Skeleton(words) is { } skeleton)
                Add(keys, "skl:", skeleton);
            var acronym = words.Length == 1 ? (words[0].Length is >= 3 and <= 6 ? words[0] : null) : NameSimilarity.Acronym(words);
            if (acronym is not null)
                Add(keys, "acr:", acronym);
        }
        return keys;
    }

    /// <summary>
    /// First letter, then the consonants of the name with repeats collapsed, cut to a fixed length:
    /// "Contoso Consulting" and "Contso Consultng" are both "cntscn".
    /// </summary>
    public static string? Skeleton(IReadOnlyList<string> words)
    {
        var compact = string.Concat(words);
        if (compact.Length < 4)
            return null;
        var skeleton = new StringBuilder(SkeletonLength);
        skeleton.Append(compact[0]);
        foreach (var c in compact.AsSpan(1))
        {
            if (skeleton.Length == SkeletonLength)
                break;
            if ("aeiouy".Contains(c) || c == skeleton[^1])
                continue;
            skeleton.Append(c);
        }
        return skeleton.Length >= 3 ? skeleton.ToString() : null;
    }

    private static void Add(List<string> keys, string kind, string value)
    {
        var key = kind + value;
        if (key.Length > MaxKeyLength)
            key = key[..MaxKeyLength];
        if (!keys.Contains(key))
            keys.Add(key);
    }
}
