using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.BillingRules.Sagas;
using QuoteToCash.ServiceDefaults.Apis;
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

    public static Task<Results<Ok<FlowView>, ProblemHttpResult>> GetFlow(string tenant, Guid flowId, IDocumentStore store,
        SagaCollection<QuoteToCashState> sagas, CancellationToken cancellationToken) =>
        store.ViewOrNotFoundAsync<QuoteToCashState, FlowView>(sagas.Name, flowId.ToString("D"), tenant, f => f.TenantId, FlowView.From,
            "Flow not found", $"No quote-to-cash flow {flowId} in tenant '{tenant}'.", cancellationToken);

    public static async Task<Ok<List<FlowView>>> ListFlows(string tenant, string? state, IDocumentStore store,
        SagaCollection<QuoteToCashState> sagas, CancellationToken cancellationToken, int limit = 100)
    {
        var collection = store.Collection<QuoteToCashState>(sagas.Name);
        var found = string.IsNullOrEmpty(state)
            ? await collection.FindAsync(f => f.TenantId == tenant, Math.Clamp(limit, 1, 1000), cancellationToken)
            : await collection.FindAsync(f => f.TenantId == tenant && f.CurrentState == state, Math.Clamp(limit, 1, 1000), cancellationToken);
        return TypedResults.Ok(found.Select(d => FlowView.From(d.Value)).ToList());
    }
}
