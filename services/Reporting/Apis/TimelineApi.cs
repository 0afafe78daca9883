using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using QuoteToCash.Reporting.Domain;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.Reporting.Apis;

public static class TimelineApi
{
    public static IEndpointRouteBuilder MapTimelineApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/reports/{tenant}").RequireTenantAccess().WithTags("Reports");
        api.MapGet("/flows/{flowId:guid}/timeline", GetTimeline);
        return app;
    }

    public static async Task<Results<Ok<FlowTimeline>, NotFound<ProblemDetails>>> GetTimeline(string tenant, Guid flowId, IDocumentStore store,
        CancellationToken cancellationToken)
    {
        var document = await store.Collection<FlowTimeline>(FlowTimeline.CollectionName).GetAsync(flowId.ToString("D"), cancellationToken);
        return document is null || document.Value.TenantId != tenant
            ? TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "Flow not found", Detail = $"Reporting has no events of flow {flowId} in tenant '{tenant}'." })
            : TypedResults.Ok(document.Value);
    }
}
