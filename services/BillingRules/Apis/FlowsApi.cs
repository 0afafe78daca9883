using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using QuoteToCash.BillingRules.Sagas;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.BillingRules.Apis;

public static class FlowsApi
{
    public static IEndpointRouteBuilder MapFlowsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/billing/{tenant}").RequireTenantAccess().WithTags("Flows");
        api.MapGet("/flows/{flowId:guid}", GetFlow);
        api.MapGet("/flows", ListFlows);
        return app;
    }

    public static async Task<Results<Ok<QuoteToCashState>, NotFound<ProblemDetails>>> GetFlow(string tenant, Guid flowId, IDocumentStore store,
        SagaCollection<QuoteToCashState> sagas, CancellationToken cancellationToken)
    {
        var document = await store.Collection<QuoteToCashState>(sagas.Name).GetAsync(flowId.ToString("D"), cancellationToken);
        return document is null || document.Value.TenantId != tenant
            ? TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Flow not found", Detail = $"No quote-to-cash flow {flowId} in tenant '{tenant}'." })
            : TypedResults.Ok(document.Value);
    }

    public static async Task<Ok<List<QuoteToCashState>>> ListFlows(string tenant, string? state, IDocumentStore store,
        SagaCollection<QuoteToCashState> sagas, CancellationToken cancellationToken, int limit = 100)
    {
        var collection = store.Collection<QuoteToCashState>(sagas.Name);
        var found = string.IsNullOrEmpty(state)
            ? await collection.FindAsync(f => f.TenantId == tenant, Math.Clamp(limit, 1, 1000), cancellationToken)
            : await collection.FindAsync(f => f.TenantId == tenant && f.CurrentState == state, Math.Clamp(limit, 1, 1000), cancellationToken);
        return TypedResults.Ok(found.Select(d => d.Value).ToList());
    }
}
