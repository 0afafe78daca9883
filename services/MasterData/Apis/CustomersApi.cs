using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.ServiceDefaults.Apis;
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

    public static async Task<Ok<List<CustomerView>>> ListCustomers(string tenant, IDocumentStore store, CustomerStatus? status,
        CancellationToken cancellationToken, int limit = 100)
    {
        var collection = store.Collection<GoldenCustomer>(GoldenCustomer.CollectionName);
        var found = status is { } s
            ? await collection.FindAsync(c => c.TenantId == tenant && c.Status == s, Math.Clamp(limit, 1, 1000), cancellationToken)
            : await collection.FindAsync(c => c.TenantId == tenant, Math.Clamp(limit, 1, 1000), cancellationToken);
        return TypedResults.Ok(found.Select(d => CustomerView.From(d.Value)).ToList());
    }

    public static Task<Results<Ok<CustomerView>, ProblemHttpResult>> GetCustomer(string tenant, Guid customerId, IDocumentStore store,
        CancellationToken cancellationToken) =>
        store.ViewOrNotFoundAsync<GoldenCustomer, CustomerView>(GoldenCustomer.CollectionName, customerId.ToString("D"), tenant,
            c => c.TenantId, CustomerView.From, "Customer not found", $"No customer {customerId} in tenant '{tenant}'.", cancellationToken);
}
