using QuoteToCash.BillingRules.Domain;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.BillingRules.Infrastructure.Policies;

/// <summary>Reads a tenant's billing policy; a tenant that never set one gets the documented defaults.</summary>
public sealed class BillingPolicies(IDocumentStore store)
{
    public async Task<BillingPolicy> ForAsync(string tenantId, CancellationToken cancellationToken) =>
        (await store.Collection<BillingPolicy>(BillingPolicy.CollectionName).GetAsync(tenantId, cancellationToken))?.Value
        ?? BillingPolicy.DefaultFor(tenantId);
}
