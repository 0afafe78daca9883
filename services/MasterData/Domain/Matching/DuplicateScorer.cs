using System.Globalization;

namespace QuoteToCash.MasterData.Domain.Matching;

/// <summary>How likely two customers are one (0..1), and the plain-language reasons behind it.</summary>
public sealed record MatchScore(double Score, IReadOnlyList<string> Reasons);

public static class DuplicateScorer
{
    // Name similarity → points, linear between the points: identical names are strong evidence, 0.8 is
    // weak evidence, and below 0.7 the names speak against one company.
    private static readonly (double Similarity, double Points)[] NameCurve =
        [(0.0, -6.0), (0.6, -4.0), (0.7, -1.0), (0.8, 3.5), (0.9, 7.0), (1.0, 8.5)];

    public static double NameEvidence(double similarity)
    {
        for (var i = 1; i < NameCurve.Length; i++)
        {
            var (x1, y1) = NameCurve[i];
            if (similarity <= x1)
            {
                var (x0, y0) = NameCurve[i - 1];
                return y0 + (y1 - y0) * (similarity - x0) / (x1 - x0);
            }
        }
        return NameCurve[^1].Points;
    }

    /// <summary>True when both sides' names carry numbers and no name of one has the same numbers as a name of the other.</summary>
    private static bool DifferentNumbers(string[] a, string[] b)
    {
        static string Numbers(string name) => string.Join(' ', System.Text.RegularExpressions.Regex.Matches(name, "[0-9]+").Select(m => m.Value));
        var numbersA = a.Select(Numbers).Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);
        var numbersB = b.Select(Numbers).Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);
        return numbersA.Count > 0 && numbersB.Count > 0 && !numbersA.Overlaps(numbersB);
    }

    /// <summary>Scores a pair. Symmetric: Score(a, b) equals Score(b, a).</summary>
    public static MatchScore Score(MatchProfile a, MatchProfile b, MatchingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(policy);
        var points = policy.Prior;
        var reasons = new List<string>();

        if (a.TaxRegistration() is { } taxA && b.TaxRegistration() is { } taxB)
        {
            if (taxA.SameAs(taxB))
            {
                points += policy.SameTaxId;
                reasons.Add("same tax ID");
            }
            else
            {
                points += policy.DifferentTaxIds;
                reasons.Add("different tax IDs");
            }
        }

        if (a.Names.Length > 0 && b.Names.Length > 0)
        {
            var name = NameSimilarity.Best(a.Names, b.Names);
            points += policy.NameWeight * NameEvidence(name.Similarity);
            var figure = name.Similarity.ToString("0.00", CultureInfo.InvariantCulture);
            reasons.Add(name.IsAbbreviation ? $"name {figure} (abbreviation)" : $"name {figure}");
            if (DifferentNumbers(a.Names, b.Names))
            {
                points += policy.DifferentNumbers;
                reasons.Add("different numbers in the names");
            }
        }

        var sharedDomain = a.Domains.Intersect(b.Domains, StringComparer.Ordinal).Order(StringComparer.Ordinal).FirstOrDefault();
        if (sharedDomain is not null)
        {
            points += policy.SameDomain;
            reasons.Add($"same email domain {sharedDomain}");
        }
        else if (a.Domains.Length > 0 && b.Domains.Length > 0)
        {
            points += policy.DifferentDomains;
            reasons.Add("different email domains");
        }

        if (a.AddressKey is not null && a.AddressKey == b.AddressKey)
        {
            points += policy.SameAddress;
            reasons.Add("same billing address");
        }

        if (a.Country is not null && b.Country is not null && a.Country != b.Country)
        {
            points += policy.DifferentCountries;
            var (first, second) = string.CompareOrdinal(a.Country, b.Country) < 0 ? (a.Country, b.Country) : (b.Country, a.Country);
            reasons.Add($"different countries ({first}, {second})");
        }

        return new MatchScore(1.0 / (1.0 + Math.Exp(-points)), reasons);
    }
}
