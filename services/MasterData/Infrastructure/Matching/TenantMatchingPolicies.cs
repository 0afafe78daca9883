using QuoteToCash.MasterData.Domain.Matching;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.MasterData.Infrastructure.Matching;

/// <summary>Each tenant's <see cref="MatchingPolicy"/>, one document per tenant; the default where a tenant has none.</summary>
public sealed class TenantMatchingPolicies(IDocumentStore store)
{
    public const string CollectionName = "matching-policies";

    private readonly IDocumentCollection<MatchingPolicy> _policies = store.Collection<MatchingPolicy>(CollectionName);

    public async Task<MatchingPolicy> GetAsync(string tenantId, CancellationToken cancellationToken = default) =>
        (await _policies.GetAsync(tenantId, cancellationToken))?.Value ?? MatchingPolicy.Default;

    /// <summary>The write that sets a tenant's policy.</summary>
    public static DocumentWrite Set(string tenantId, MatchingPolicy policy) => DocumentWrite.Upsert(CollectionName, tenantId, policy);
}
