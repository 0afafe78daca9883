using System.Globalization;

namespace QuoteToCash.MasterData.Domain.Matching;

/// <summary>An existing customer that may be the same company as the one being resolved.</summary>
public sealed record DuplicateCandidate(Guid CustomerId, string Name, double Score, IReadOnlyList<string> Reasons)
{
    /// <summary>"Contoso Ltd (0.97: same tax ID, name 0.93)".</summary>
    public string Describe() =>
        $"{Name} ({Score.ToString("0.00", CultureInfo.InvariantCulture)}: {string.Join(", ", Reasons)})";
}

/// <summary>A review item: the customer being resolved may duplicate the candidates named, best first.</summary>
public sealed record PotentialDuplicate(string TenantId, Guid CustomerId, string Name, IReadOnlyList<DuplicateCandidate> Candidates)
{
    /// <summary>The review item for a customer, or null when no candidate reached the tenant's review threshold.</summary>
    public static PotentialDuplicate? For(MatchProfile profile, IReadOnlyList<DuplicateCandidate> candidates) =>
        candidates.Count == 0 ? null : new PotentialDuplicate(profile.TenantId, profile.CustomerId, profile.Name, candidates);

    /// <summary>One line per candidate, for a reviewer or a CustomerNeedsReview reason.</summary>
    public IReadOnlyList<string> Describe() => Candidates.Select(c => $"possible duplicate of {c.Describe()}").ToList();
}
