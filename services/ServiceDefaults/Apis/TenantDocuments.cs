using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.ServiceDefaults.Apis;

public static class TenantDocuments
{
    /// <summary>
    /// The tenant's document under this key, or null. Another tenant's document is answered exactly like a missing
    /// one, so that an API never tells whether a key exists elsewhere.
    /// </summary>
    public static async Task<T?> GetForTenantAsync<T>(this IDocumentStore store, string collection, string id, string tenant,
        Func<T, string> tenantOf, CancellationToken cancellationToken = default) where T : class
    {
        var document = await store.Collection<T>(collection).GetAsync(id, cancellationToken);
        return document is not null && tenantOf(document.Value) == tenant ? document.Value : null;
    }

    /// <summary>200 with the view of the tenant's document, or 404 problem+json with the given title and detail.</summary>
    public static async Task<Results<Ok<TView>, ProblemHttpResult>> ViewOrNotFoundAsync<T, TView>(this IDocumentStore store,
        string collection, string id, string tenant, Func<T, string> tenantOf, Func<T, TView> view,
        string notFoundTitle, string notFoundDetail, CancellationToken cancellationToken = default) where T : class =>
        await store.GetForTenantAsync(collection, id, tenant, tenantOf, cancellationToken) is { } found
            ? TypedResults.Ok(view(found))
            : ApiProblems.NotFound(notFoundTitle, notFoundDetail);
}
