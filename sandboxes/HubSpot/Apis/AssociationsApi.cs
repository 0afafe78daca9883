using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.HubSpot.Domain;
using QuoteToCash.Sandbox.HubSpot.Infrastructure;
using static QuoteToCash.Sandbox.HubSpot.Apis.RequestReading;

namespace QuoteToCash.Sandbox.HubSpot.Apis;

/// <summary>Associations v4: per-record and batch endpoints.</summary>
public static class AssociationsApi
{
    public static RouteGroupBuilder MapAssociationsApi(this RouteGroupBuilder crm)
    {
        var record = crm.MapGroup("/v4/objects/{objectType}/{objectId}/associations");
        record.MapPut("/default/{toObjectType}/{toObjectId}", (HttpContext c, HubSpotStore s, string objectType, string objectId, string toObjectType, string toObjectId) =>
            WithTypes(objectType, toObjectType, (from, to) => s.AssociateDefault(c.Caller(), from, objectId, to, toObjectId)));
        record.MapPut("/{toObjectType}/{toObjectId}", async (HttpContext c, HubSpotStore s, string objectType, string objectId, string toObjectType, string toObjectId) =>
        {
            var (body, error) = await ReadJsonAsync(c.Request);
            return error ?? WithTypes(objectType, toObjectType, (from, to) => s.Associate(c.Caller(), from, objectId, to, toObjectId, body as JsonArray));
        });
        record.MapDelete("/{toObjectType}/{toObjectId}", (HttpContext c, HubSpotStore s, string objectType, string objectId, string toObjectType, string toObjectId) =>
            WithTypes(objectType, toObjectType, (from, to) => s.RemoveAssociations(c.Caller(), from, objectId, to, toObjectId)));
        record.MapGet("/{toObjectType}", (HttpContext c, HubSpotStore s, string objectType, string objectId, string toObjectType) =>
            WithTypes(objectType, toObjectType, (from, to) => s.ListAssociations(c.Caller(), from, objectId, to)));

        var batch = crm.MapGroup("/v4/associations/{fromObjectType}/{toObjectType}/batch");
        batch.MapPost("/create", (HttpContext c, string fromObjectType, string toObjectType) =>
            Batch(c, fromObjectType, toObjectType, (s, caller, from, to, body) => s.BatchAssociate(caller, from, to, body)));
        batch.MapPost("/associate/default", (HttpContext c, string fromObjectType, string toObjectType) =>
            Batch(c, fromObjectType, toObjectType, (s, caller, from, to, body) => s.BatchAssociateDefault(caller, from, to, body)));
        batch.MapPost("/read", (HttpContext c, string fromObjectType, string toObjectType) =>
            Batch(c, fromObjectType, toObjectType, (s, caller, from, to, body) => s.BatchReadAssociations(caller, from, to, body)));
        batch.MapPost("/archive", (HttpContext c, string fromObjectType, string toObjectType) =>
            Batch(c, fromObjectType, toObjectType, (s, caller, from, to, body) => s.BatchRemoveAssociations(caller, from, to, body)));
        return crm;
    }

    private static IResult WithTypes(string fromName, string toName, Func<ObjectType, ObjectType, IResult> operation)
    {
        if (ObjectType.Resolve(fromName) is not { } from)
            return UnknownType(fromName);
        if (ObjectType.Resolve(toName) is not { } to)
            return UnknownType(toName);
        return operation(from, to);
    }

    private static async Task<IResult> Batch(HttpContext context, string fromName, string toName,
        Func<HubSpotStore, Caller, ObjectType, ObjectType, JsonObject?, ApiResult> operation)
    {
        var (body, error) = await ReadJsonAsync(context.Request);
        if (error is not null)
            return error;
        var store = context.RequestServices.GetRequiredService<HubSpotStore>();
        return WithTypes(fromName, toName, (from, to) => operation(store, context.Caller(), from, to, body as JsonObject));
    }
}
