namespace QuoteToCash.MasterData.Domain.Matching;

/// <summary>
/// A tenant's duplicate-detection settings. Evidence is added as log-odds ("points"): the prior says how
/// unlikely two customers are to be one before anything is compared; each agreement or conflict adds or
/// subtracts its weight; the sum becomes a 0..1 score. Above <see cref="ReviewThreshold"/> a pair is put
/// to a reviewer.
/// </summary>
public sealed record MatchingPolicy
{
    public static MatchingPolicy Default { get; } = new();

    /// <summary>Score from which a candidate is named in a PotentialDuplicate review item.</summary>
    public double ReviewThreshold { get; init; } = 0.80;

    public double Prior { get; init; } = -5.0;

    /// <summary>Scales the name evidence (<see cref="DuplicateScorer.NameEvidence"/>).</summary>
    public double NameWeight { get; init; } = 1.0;

    /// <summary>One tax registration is one legal entity, whatever it is called.</summary>
    public double SameTaxId { get; init; } = 14.0;

    /// <summary>Two different tax registrations are two legal entities, however alike the names.</summary>
    public double DifferentTaxIds { get; init; } = -8.0;

    public double SameDomain { get; init; } = 4.0;

    /// <summary>Both have company domains and none is shared: weak evidence, companies do run several domains.</summary>
    public double DifferentDomains { get; init; } = -1.5;

    public double SameAddress { get; init; } = 3.5;

    /// <summary>A company of the same name in another country is another company unless its tax ID says otherwise.</summary>
    public double DifferentCountries { get; init; } = -9.0;

    /// <summary>"Unit 1 Ltd" and "Unit 2 Ltd": names that differ in their numbers name different companies.</summary>
    public double DifferentNumbers { get; init; } = -9.0;

    /// <summary>How many candidates a review item names at most, best first.</summary>
    public int MaxCandidates { get; init; } = 10;
}
