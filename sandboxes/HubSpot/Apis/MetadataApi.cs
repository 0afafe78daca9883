using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.HubSpot.Domain;
using QuoteToCash.Sandbox.HubSpot.Infrastructure;
using static QuoteToCash.Sandbox.HubSpot.Apis.RequestReading;

namespace QuoteToCash.Sandbox.HubSpot.Apis;

/// <summary>Pipelines (read) and properties (read, create, update, archive; groups).</summary>
public static class MetadataApi
{
    public static RouteGroupBuilder MapMetadataApi(this RouteGroupBuilder crm)
    {
        var pipelines = crm.MapGroup("/v3/pipelines/{objectType}");
        pipelines.MapGet("", (HttpContext c, HubSpotStore s, string objectType) =>
            Typed(objectType, t => s.ListPipelines(c.Caller(), t)));
        pipelines.MapGet("/{pipelineId}", (HttpContext c, HubSpotStore s, string objectType, string pipelineId) =>
            Typed(objectType, t => s.GetPipeline(c.Caller(), t, pipelineId)));
        pipelines.MapGet("/{pipelineId}/stages", (HttpContext c, HubSpotStore s, string objectType, string pipelineId) =>
            Typed(objectType, t => s.ListStages(c.Caller(), t, pipelineId)));
        pipelines.MapGet("/{pipelineId}/stages/{stageId}", (HttpContext c, HubSpotStore s, string objectType, string pipelineId, string stageId) =>
            Typed(objectType, t => s.GetStage(c.Caller(), t, pipelineId, stageId)));

        var properties = crm.MapGroup("/v3/properties/{objectType}");
        properties.MapGet("", (HttpContext c, HubSpotStore s, string objectType) =>
            Typed(objectType, t => s.ListProperties(c.Caller(), t, QueryFlag(c.Request, "archived"))));
        properties.MapPost("", async (HttpContext c, HubSpotStore s, string objectType) =>
        {
            var (body, error) = await ReadJsonAsync(c.Request);
            return error ?? Typed(objectType, t => s.CreateProperty(c.Caller(), t, body as JsonObject));
        });
        properties.MapGet("/groups", (HttpContext c, HubSpotStore s, string objectType) =>
            Typed(objectType, t => s.ListPropertyGroups(c.Caller(), t)));
        properties.MapPost("/groups", async (HttpContext c, HubSpotStore s, string objectType) =>
        {
            var (body, error) = await ReadJsonAsync(c.Request);
            return error ?? Typed(objectType, t => s.CreatePropertyGroup(c.Caller(), t, body as JsonObject));
        });
        properties.MapGet("/{propertyName}", (HttpContext c, HubSpotStore s, string objectType, string propertyName) =>
            Typed(objectType, t => s.GetProperty(c.Caller(), t, propertyName, QueryFlag(c.Request, "archived"))));
        properties.MapPatch("/{propertyName}", async (HttpContext c, HubSpotStore s, string objectType, string propertyName) =>
        {
            var (body, error) = await ReadJsonAsync(c.Request);
            return error ?? Typed(objectType, t => s.UpdateProperty(c.Caller(), t, propertyName, body as JsonObject));
        });
        properties.MapDelete("/{propertyName}", (HttpContext c, HubSpotStore s, string objectType, string propertyName) =>
            Typed(objectType, t => s.ArchiveProperty(c.Caller(), t, propertyName)));
        return crm;
    }

    private static IResult Typed(string name, Func<ObjectType, IResult> operation) =>
        ObjectType.Resolve(name) is { } type ? operation(type) : UnknownType(name);
}
