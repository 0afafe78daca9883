namespace QuoteToCash.MasterData.Domain.Matching;

/// <summary>Ranks already-blocked candidates: the part of a lookup that needs no store.</summary>
public static class DuplicateMatcher
{
    /// <summary>
    /// Candidates of the same tenant (never the customer itself) scoring at least the review threshold,
    /// best first, at most <see cref="MatchingPolicy.MaxCandidates"/>.
    /// </summary>
    public static IReadOnlyList<DuplicateCandidate> Rank(MatchProfile incoming, IEnumerable<MatchProfile> candidates, MatchingPolicy policy) =>
        candidates
            .Where(c => c.TenantId == incoming.TenantId && c.CustomerId != incoming.CustomerId)
            .DistinctBy(c => c.CustomerId)
            .Select(c => (Candidate: c, Match: DuplicateScorer.Score(incoming, c, policy)))
            .Where(x => x.Match.Score >= policy.ReviewThreshold)
            .OrderByDescending(x => x.Match.Score)
            .ThenBy(x => x.Candidate.CustomerId)
            .Take(policy.MaxCandidates)
            .Select(x => new DuplicateCandidate(x.Candidate.CustomerId, x.Candidate.Name, x.Match.Score, x.Match.Reasons))
            .ToList();
}
