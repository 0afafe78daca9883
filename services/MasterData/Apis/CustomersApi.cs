using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.MasterData.Apis;

public static class CustomersApi
{
    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/master-data/{tenant}").RequireTenantAccess().WithTags("Customers");
        api.MapGet("/customers", ListCustomers);
        api.MapGet("/customers/{customerId:guid}", GetCustomer);
        return app;
    }

    public static async Task<Ok<List<GoldenCustomer>>> ListCustomers(string tenant, IDocumentStore store, CustomerStatus? status,
        CancellationToken cancellationToken, int limit = 100)
    {
        var collection = store.Collection<GoldenCustomer>(GoldenCustomer.CollectionName);
        var found = status is { } s
            ? await collection.FindAsync(c => c.TenantId == tenant && c.Status == s, Math.Clamp(limit, 1, 1000), cancellationToken)
            : await collection.FindAsync(c => c.TenantId == tenant, Math.Clamp(limit, 1, 1000), cancellationToken);
        return TypedResults.Ok(found.Select(d => d.Value).ToList());
    }

    public static async Task<Results<Ok<GoldenCustomer>, NotFound<ProblemDetails>>> GetCustomer(string tenant, Guid customerId, IDocumentStore store,
        CancellationToken cancellationToken)
    {
        var document = await store.Collection<GoldenCustomer>(GoldenCustomer.CollectionName).GetAsync(customerId.ToString("D"), cancellationToken);
        return document is null || document.Value.TenantId != tenant
            ? TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Customer not found", Detail = $"No customer {customerId} in tenant '{tenant}'." })
            : TypedResults.Ok(document.Value);
    }
}
