using QuoteToCash.MasterData.Domain.Matching;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.MasterData.Infrastructure.Matching;

/// <summary>
/// Duplicate detection against the store: files customers under their blocking keys and, for an incoming
/// customer, reads only the customers filed under its own keys, then scores them. Everything is per tenant:
/// keys and profiles are stored under the tenant's ID, and a lookup never returns another tenant's customer.
/// </summary>
public sealed class DuplicateFinder(IDocumentStore store, MatchIndexOptions? options = null)
{
    private readonly MatchIndexOptions _options = options ?? MatchIndexOptions.Default;
    private readonly IDocumentCollection<CustomerMatchKey> _keys = store.Collection<CustomerMatchKey>(CustomerMatchKey.CollectionName);
    private readonly IDocumentCollection<MatchProfile> _profiles = store.Collection<MatchProfile>(CustomerMatchProfiles.CollectionName);

    /// <summary>
    /// Existing customers of the profile's tenant that may be the same company, scoring at least the policy's
    /// review threshold, best first, with their reasons. The customer itself is never its own candidate.
    /// </summary>
    public async Task<IReadOnlyList<DuplicateCandidate>> FindCandidatesAsync(MatchProfile profile, MatchingPolicy policy,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(policy);
        var sharedKeys = new Dictionary<Guid, int>();
        var order = new List<Guid>();
        foreach (var key in BlockingKeys.For(profile))
        {
            var posting = await _keys.GetAsync(CustomerMatchKey.IdFor(profile.TenantId, key), cancellationToken);
            if (posting is null || posting.Value.Saturated || posting.Value.TenantId != profile.TenantId)
                continue;
            foreach (var customerId in posting.Value.CustomerIds)
            {
                if (customerId == profile.CustomerId)
                    continue;
                if (sharedKeys.TryGetValue(customerId, out var count))
                    sharedKeys[customerId] = count + 1;
                else
                {
                    sharedKeys[customerId] = 1;
                    order.Add(customerId);
                }
            }
        }

        // Keys come strongest first (tax ID, domain, address, then name keys); ties keep that order.
        var toScore = order.Count <= _options.MaxCandidatesScored
            ? order
            : order.OrderByDescending(id => sharedKeys[id]).Take(_options.MaxCandidatesScored).ToList();
        var candidates = new List<MatchProfile>(toScore.Count);
        foreach (var customerId in toScore)
        {
            var candidate = await _profiles.GetAsync(CustomerMatchProfiles.IdFor(profile.TenantId, customerId), cancellationToken);
            if (candidate is not null)
                candidates.Add(candidate.Value);
        }
        return DuplicateMatcher.Rank(profile, candidates, policy);
    }

    /// <summary>The writes that file (or re-file, after a change) one customer; commit them with the customer.</summary>
    public Task<MatchIndexUpdate> IndexAsync(MatchProfile profile, CancellationToken cancellationToken = default) =>
        IndexAsync([profile], cancellationToken);

    /// <summary>The writes that file many customers at once (an import); one write per key document touched.</summary>
    public async Task<MatchIndexUpdate> IndexAsync(IReadOnlyCollection<MatchProfile> profiles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var update = new MatchIndexUpdate();
        var changes = new Dictionary<(string Tenant, string Key), (HashSet<Guid> Add, HashSet<Guid> Remove)>();
        foreach (var profile in profiles.GroupBy(p => (p.TenantId, p.CustomerId)).Select(g => g.Last()))
        {
            var keys = BlockingKeys.For(profile);
            var previous = await _profiles.GetAsync(CustomerMatchProfiles.IdFor(profile.TenantId, profile.CustomerId), cancellationToken);
            if (previous is not null)
                foreach (var stale in BlockingKeys.For(previous.Value).Except(keys))
                    ChangesOf(changes, profile.TenantId, stale).Remove.Add(profile.CustomerId);
            foreach (var key in keys)
                ChangesOf(changes, profile.TenantId, key).Add.Add(profile.CustomerId);
            update.SaveProfile(profile);
        }
        await ApplyAsync(changes, update, cancellationToken);
        return update;
    }

    /// <summary>The writes that take a customer out of duplicate detection (merged away or deleted).</summary>
    public async Task<MatchIndexUpdate> RemoveAsync(string tenantId, Guid customerId, CancellationToken cancellationToken = default)
    {
        var update = new MatchIndexUpdate();
        var previous = await _profiles.GetAsync(CustomerMatchProfiles.IdFor(tenantId, customerId), cancellationToken);
        if (previous is null)
            return update;
        var changes = new Dictionary<(string Tenant, string Key), (HashSet<Guid> Add, HashSet<Guid> Remove)>();
        foreach (var key in BlockingKeys.For(previous.Value))
            ChangesOf(changes, tenantId, key).Remove.Add(customerId);
        update.DeleteProfile(tenantId, customerId);
        await ApplyAsync(changes, update, cancellationToken);
        return update;
    }

    private async Task ApplyAsync(Dictionary<(string Tenant, string Key), (HashSet<Guid> Add, HashSet<Guid> Remove)> changes,
        MatchIndexUpdate update, CancellationToken cancellationToken)
    {
        foreach (var ((tenant, key), (add, remove)) in changes)
        {
            var id = CustomerMatchKey.IdFor(tenant, key);
            var loaded = await _keys.GetAsync(id, cancellationToken);
            var posting = loaded?.Value ?? new CustomerMatchKey { TenantId = tenant, Key = key };
            var customers = posting.CustomerIds.Where(c => !remove.Contains(c)).ToList();
            var changed = customers.Count != posting.CustomerIds.Count;
            if (!posting.Saturated)
            {
                foreach (var customerId in add)
                {
                    if (customers.Contains(customerId))
                        continue;
                    customers.Add(customerId);
                    changed = true;
                }
            }
            if (!changed)
                continue;
            var saturated = customers.Count > _options.MaxCustomersPerKey;
            if (customers.Count == 0)
            {
                if (loaded is not null)
                    update.DeleteKey(loaded);
                continue;
            }
            update.SaveKey(id, loaded, new CustomerMatchKey
            {
                TenantId = tenant,
                Key = key,
                CustomerIds = saturated ? [] : customers,
                Saturated = saturated,
            });
        }
    }

    private static (HashSet<Guid> Add, HashSet<Guid> Remove) ChangesOf(
        Dictionary<(string Tenant, string Key), (HashSet<Guid> Add, HashSet<Guid> Remove)> changes, string tenant, string key)
    {
        if (!changes.TryGetValue((tenant, key), out var change))
            changes[(tenant, key)] = change = ([], []);
        return change;
    }
}
