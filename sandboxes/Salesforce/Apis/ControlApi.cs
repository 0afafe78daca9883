using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.Salesforce.Domain;
using QuoteToCash.Sandbox.Salesforce.Infrastructure;
using static QuoteToCash.Sandbox.Salesforce.Apis.RequestReading;

namespace QuoteToCash.Sandbox.Salesforce.Apis;

/// <summary>/_sandbox/*: set-up and inspection for run.sh and tests; not part of Salesforce's API.</summary>
public static class ControlApi
{
    public static IEndpointRouteBuilder MapControlApi(this IEndpointRouteBuilder endpoints)
    {
        var control = endpoints.MapGroup("/_sandbox");
        control.MapPost("/orgs", async (HttpRequest request, SalesforceStore store) =>
        {
            var (body, error) = await ReadJsonAsync(request);
            if (error is not null)
                return error;
            var name = body?["name"]?.ToString();
            if (string.IsNullOrWhiteSpace(name))
                return ApiResult.BadRequest(new SfError("REQUIRED_FIELD_MISSING", "\"name\" is required."));
            var (created, org) = store.CreateOrg(name, InstanceUrl(request));
            return new ApiResult(created ? StatusCodes.Status201Created : StatusCodes.Status200OK, org);
        });
        control.MapGet("/orgs", (SalesforceStore store) => ApiResult.Ok(store.ListOrgs()));
        control.MapPost("/orgs/{orgId}/tokens", async (HttpRequest request, SalesforceStore store, string orgId) =>
        {
            var (body, error) = await ReadJsonAsync(request);
            if (error is not null)
                return error;
            var name = body?["name"]?.ToString();
            var integration = body?["integrationUser"] is JsonValue flag && flag.GetValueKind() == System.Text.Json.JsonValueKind.True;
            return store.CreateToken(orgId, string.IsNullOrWhiteSpace(name) ? "tools" : name, integration);
        });
        control.MapPost("/orgs/{orgId}/outbound-messages", async (HttpRequest request, SalesforceStore store, string orgId) =>
        {
            var (body, error) = await ReadJsonAsync(request);
            if (error is not null)
                return error;
            var name = body?["name"]?.ToString();
            var endpoint = body?["endpointUrl"]?.ToString();
            if (string.IsNullOrWhiteSpace(name) || !IsHttpUrl(endpoint))
                return ApiResult.BadRequest(new SfError("REQUIRED_FIELD_MISSING", "\"name\" and an absolute http(s) \"endpointUrl\" are required."));
            var fields = (body?["fields"] as JsonArray)?.Select(f => f?.ToString() ?? "").ToList() ?? ["Id"];
            return store.CreateOutboundMessage(orgId, name, endpoint!, fields);
        });
        control.MapPost("/orgs/{orgId}/change-events", async (HttpRequest request, SalesforceStore store, string orgId) =>
        {
            var (body, error) = await ReadJsonAsync(request);
            if (error is not null)
                return error;
            var endpoint = body?["endpointUrl"]?.ToString();
            if (!IsHttpUrl(endpoint))
                return ApiResult.BadRequest(new SfError("REQUIRED_FIELD_MISSING", "An absolute http(s) \"endpointUrl\" is required."));
            var entities = (body?["entities"] as JsonArray)?.Select(e => e?.ToString() ?? "").ToList();
            return store.EnableChangeEvents(orgId, endpoint!, entities);
        });
        control.MapPost("/reset", (SalesforceStore store, DeliveryLogs logs) =>
        {
            store.Reset();
            logs.Outbound.Clear();
            logs.ChangeEvents.Clear();
            return Results.NoContent();
        });
        control.MapGet("/outbound/deliveries", (DeliveryLogs logs, string? orgId) => Render(logs.Outbound, orgId, "notificationIds"));
        control.MapGet("/change-events/deliveries", (DeliveryLogs logs, string? orgId) => Render(logs.ChangeEvents, orgId, "replayIds"));
        return endpoints;
    }

    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static IResult Render(DeliveryLog log, string? orgId, string idsName) =>
        ApiResult.Ok(new JsonArray(log.All().Where(d => orgId is null || d.OrgId == orgId).Select(d => (JsonNode)new JsonObject
        {
            ["id"] = d.Id,
            ["orgId"] = d.OrgId,
            ["url"] = d.Url,
            ["status"] = d.Status,
            ["error"] = d.Error,
            ["acknowledged"] = d.Acknowledged,
            ["attemptNumber"] = d.AttemptNumber,
            [idsName] = new JsonArray(d.Ids.Select(i => (JsonNode)JsonValue.Create(i)).ToArray()),
            ["body"] = d.Body,
            ["headers"] = new JsonObject(d.Headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)JsonValue.Create(h.Value)))),
            ["responseBody"] = d.ResponseBody,
            ["sentAt"] = d.SentAt.ToString("O"),
        }).ToArray()));
}
