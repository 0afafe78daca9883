using System.Globalization;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.HubSpot.Domain;
using QuoteToCash.Sandbox.HubSpot.Infrastructure;
using static QuoteToCash.Sandbox.HubSpot.Apis.RequestReading;

namespace QuoteToCash.Sandbox.HubSpot.Apis;

/// <summary>/crm/v3/objects/{objectType}: basic, batch and search endpoints for every object type.</summary>
public static class CrmObjectsApi
{
    public static RouteGroupBuilder MapCrmObjectsApi(this RouteGroupBuilder crm)
    {
        var objects = crm.MapGroup("/v3/objects/{objectType}");
        objects.MapGet("", List);
        objects.MapPost("", Create);
        objects.MapGet("/{objectId}", Get);
        objects.MapPatch("/{objectId}", Update);
        objects.MapDelete("/{objectId}", Archive);
        objects.MapPost("/batch/read", (HttpContext c, string objectType) => Batch(c, objectType, (s, caller, t, b) => s.BatchRead(caller, t, b, QueryFlag(c.Request, "archived"))));
        objects.MapPost("/batch/create", (HttpContext c, string objectType) => Batch(c, objectType, (s, caller, t, b) => s.BatchCreate(caller, t, b)));
        objects.MapPost("/batch/update", (HttpContext c, string objectType) => Batch(c, objectType, (s, caller, t, b) => s.BatchUpdate(caller, t, b)));
        objects.MapPost("/batch/archive", (HttpContext c, string objectType) => Batch(c, objectType, (s, caller, t, b) => s.BatchArchive(caller, t, b)));
        objects.MapPost("/search", (HttpContext c, string objectType) => Batch(c, objectType, (s, caller, t, b) => s.Search(caller, t, b)));
        return crm;
    }

    private static IResult List(HttpContext context, HubSpotStore store, string objectType)
    {
        if (ObjectType.Resolve(objectType) is not { } type)
            return UnknownType(objectType);
        var (associations, error) = AssociationTypes(context.Request);
        if (error is not null)
            return error;
        var limit = int.TryParse(context.Request.Query["limit"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : 10;
        var options = new ReadOptions(QueryList(context.Request, "properties"), QueryList(context.Request, "propertiesWithHistory"), associations);
        return store.ListObjects(context.Caller(), type, limit, context.Request.Query["after"].FirstOrDefault(), options, QueryFlag(context.Request, "archived"));
    }

    private static async Task<IResult> Create(HttpContext context, HubSpotStore store, string objectType)
    {
        if (ObjectType.Resolve(objectType) is not { } type)
            return UnknownType(objectType);
        var (body, error) = await ReadJsonAsync(context.Request);
        return error ?? store.CreateObject(context.Caller(), type, body as JsonObject);
    }

    private static IResult Get(HttpContext context, HubSpotStore store, string objectType, string objectId)
    {
        if (ObjectType.Resolve(objectType) is not { } type)
            return UnknownType(objectType);
        var (associations, error) = AssociationTypes(context.Request);
        if (error is not null)
            return error;
        var options = new ReadOptions(QueryList(context.Request, "properties"), QueryList(context.Request, "propertiesWithHistory"), associations);
        return store.GetObject(context.Caller(), type, objectId, options, context.Request.Query["idProperty"].FirstOrDefault(), QueryFlag(context.Request, "archived"));
    }

    private static async Task<IResult> Update(HttpContext context, HubSpotStore store, string objectType, string objectId)
    {
        if (ObjectType.Resolve(objectType) is not { } type)
            return UnknownType(objectType);
        var (body, error) = await ReadJsonAsync(context.Request);
        return error ?? store.UpdateObject(context.Caller(), type, objectId, body as JsonObject, context.Request.Query["idProperty"].FirstOrDefault());
    }

    private static IResult Archive(HttpContext context, HubSpotStore store, string objectType, string objectId) =>
        ObjectType.Resolve(objectType) is { } type ? store.ArchiveObject(context.Caller(), type, objectId) : UnknownType(objectType);

    private static async Task<IResult> Batch(HttpContext context, string objectType, Func<HubSpotStore, Caller, ObjectType, JsonObject?, ApiResult> operation)
    {
        if (ObjectType.Resolve(objectType) is not { } type)
            return UnknownType(objectType);
        var (body, error) = await ReadJsonAsync(context.Request);
        return error ?? operation(context.RequestServices.GetRequiredService<HubSpotStore>(), context.Caller(), type, body as JsonObject);
    }
}
