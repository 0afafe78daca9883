using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using QuoteToCash.Sandbox.Salesforce.Domain;
using QuoteToCash.Sandbox.Salesforce.Infrastructure;
using static QuoteToCash.Sandbox.Salesforce.Apis.RequestReading;

namespace QuoteToCash.Sandbox.Salesforce.Apis;

/// <summary>/services/data/vXX.X: sObject REST, SOQL query, composite sObject collections, describe.</summary>
public static class RestApi
{
    public static IEndpointRouteBuilder MapRestApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/services/data", (HttpRequest request) => ApiResult.Ok(new JsonArray(
            Enumerable.Range(55, 12).Select(v => (JsonNode)new JsonObject
            {
                ["label"] = "Sandbox",
                ["url"] = $"/services/data/v{v}.0",
                ["version"] = $"{v}.0",
            }).ToArray())));

        var data = endpoints.MapGroup("/services/data/{version}").AddEndpointFilter(SessionAuthentication.Filter);
        data.MapGet("", (HttpContext c) =>
        {
            var root = $"/services/data/v{c.Caller().ApiVersion}";
            return ApiResult.Ok(new JsonObject
            {
                ["sobjects"] = root + "/sobjects",
                ["query"] = root + "/query",
                ["composite"] = root + "/composite",
                ["limits"] = root + "/limits",
            });
        });
        data.MapGet("/limits", (HttpContext c) => ApiResult.Ok(new JsonObject
        {
            ["DailyApiRequests"] = new JsonObject { ["Max"] = 15000, ["Remaining"] = 15000 },
        }));
        data.MapGet("/sobjects", (HttpContext c) => ApiResult.Ok(SalesforceStore.DescribeGlobal(c.Caller().ApiVersion)));
        data.MapGet("/sobjects/{sobject}", (HttpContext c, string sobject) =>
            Typed(sobject, t => ApiResult.Ok(SalesforceStore.BasicInfo(t, c.Caller().ApiVersion))));
        data.MapGet("/sobjects/{sobject}/describe", (HttpContext c, string sobject) =>
            Typed(sobject, t => ApiResult.Ok(SalesforceStore.Describe(t, c.Caller().ApiVersion))));
        data.MapPost("/sobjects/{sobject}", async (HttpContext c, SalesforceStore store, string sobject) =>
        {
            var (body, error) = await ReadJsonAsync(c.Request);
            return error ?? Typed(sobject, t => store.Create(c.Caller(), t, body as JsonObject));
        });
        data.MapGet("/sobjects/{sobject}/{id}", (HttpContext c, SalesforceStore store, string sobject, string id, string? fields) =>
            Typed(sobject, t => store.Retrieve(c.Caller(), t, id, fields?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))));
        data.MapPatch("/sobjects/{sobject}/{id}", async (HttpContext c, SalesforceStore store, string sobject, string id) =>
        {
            var (body, error) = await ReadJsonAsync(c.Request);
            return error ?? Typed(sobject, t => store.Update(c.Caller(), t, id, body as JsonObject));
        });
        data.MapDelete("/sobjects/{sobject}/{id}", (HttpContext c, SalesforceStore store, string sobject, string id) =>
            Typed(sobject, t => store.Delete(c.Caller(), t, id)));

        data.MapGet("/query", (HttpContext c, SalesforceStore store, IOptionsMonitor<SalesforceSandboxOptions> options, string? q) =>
            store.Query(c.Caller(), q, BatchSize(options)));
        data.MapGet("/query/{locator}", (HttpContext c, SalesforceStore store, IOptionsMonitor<SalesforceSandboxOptions> options, string locator) =>
            store.QueryMore(c.Caller(), locator, BatchSize(options)));

        data.MapPost("/composite/sobjects", async (HttpContext c, SalesforceStore store) =>
        {
            var (body, error) = await ReadJsonAsync(c.Request);
            return error ?? store.CompositeCreate(c.Caller(), body as JsonObject);
        });
        data.MapPatch("/composite/sobjects", async (HttpContext c, SalesforceStore store) =>
        {
            var (body, error) = await ReadJsonAsync(c.Request);
            return error ?? store.CompositeUpdate(c.Caller(), body as JsonObject);
        });
        data.MapDelete("/composite/sobjects", (HttpContext c, SalesforceStore store, string? ids, bool? allOrNone) =>
            store.CompositeDelete(c.Caller(), (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), allOrNone == true));
        data.MapPost("/composite/sobjects/{sobject}", async (HttpContext c, SalesforceStore store, string sobject) =>
        {
            var (body, error) = await ReadJsonAsync(c.Request);
            return error ?? Typed(sobject, t => store.CompositeRetrieve(c.Caller(), t, body as JsonObject));
        });
        // Tooling API: declare a custom field, as an admin (or the Metadata API) would in a real org.
        data.MapPost("/tooling/sobjects/CustomField", async (HttpContext c, SalesforceStore store) =>
        {
            var (body, error) = await ReadJsonAsync(c.Request);
            return error ?? ToolingCustomField.Create(store, body as JsonObject);
        });
        return endpoints;
    }

    private static int BatchSize(IOptionsMonitor<SalesforceSandboxOptions> options) => Math.Clamp(options.CurrentValue.Query.BatchSize, 1, 2000);

    private static IResult Typed(string name, Func<SObjectType, IResult> operation) =>
        Schema.Resolve(name) is { } type ? operation(type) : ApiResult.NotFound();
}
