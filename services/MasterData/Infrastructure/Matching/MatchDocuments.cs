using QuoteToCash.MasterData.Domain.Matching;

namespace QuoteToCash.MasterData.Infrastructure.Matching;

/// <summary>
/// The customers filed under one blocking key of one tenant (a posting list), read by its document key in
/// one lookup. Once more customers share the key than <see cref="MatchIndexOptions.MaxCustomersPerKey"/>,
/// the key no longer tells customers apart: it is marked saturated, its list dropped, and lookups skip it.
/// </summary>
public sealed class CustomerMatchKey
{
    public const string CollectionName = "customer-match-keys";

    public string TenantId { get; set; } = string.Empty;
    public string Key { get; set; } = string.Empty;
    public List<Guid> CustomerIds { get; set; } = [];
    public bool Saturated { get; set; }

    /// <summary>Tenant IDs never contain '/', so one tenant's keys can never be another's.</summary>
    public static string IdFor(string tenantId, string key) => $"{tenantId}/{key}";
}

/// <summary>Where the <see cref="MatchProfile"/> of each indexed customer is kept.</summary>
public static class CustomerMatchProfiles
{
    public const string CollectionName = "customer-match-profiles";

    public static string IdFor(string tenantId, Guid customerId) => $"{tenantId}/{customerId:D}";
}

public sealed record MatchIndexOptions
{
    public static MatchIndexOptions Default { get; } = new();

    /// <summary>A key shared by more customers than this stops being used for lookups.</summary>
    public int MaxCustomersPerKey { get; init; } = 50;

    /// <summary>How many blocked candidates a lookup reads and scores at most; those sharing most keys first.</summary>
    public int MaxCandidatesScored { get; init; } = 200;
}
