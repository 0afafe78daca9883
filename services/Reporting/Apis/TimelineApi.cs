using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.Reporting.Domain;
using QuoteToCash.ServiceDefaults.Apis;
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

    public static Task<Results<Ok<TimelineView>, ProblemHttpResult>> GetTimeline(string tenant, Guid flowId, IDocumentStore store,
        CancellationToken cancellationToken) =>
        store.ViewOrNotFoundAsync<FlowTimeline, TimelineView>(FlowTimeline.CollectionName, flowId.ToString("D"), tenant, t => t.TenantId,
            TimelineView.From, "Flow not found", $"Reporting has no events of flow {flowId} in tenant '{tenant}'.", cancellationToken);
}
