using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.Domain;
using QuoteToCash.Sandbox.QuickBooks.Domain.Rules;
using QuoteToCash.Sandbox.QuickBooks.Infrastructure;

namespace QuoteToCash.Sandbox.QuickBooks.Apis;

/// <summary>The QBO Accounting API v3 under /v3/company/{realmId}: entities, query, batch, CDC, invoice send.</summary>
public static class AccountingApi
{
    public const int MaxBatchItems = 30;
    private const int MaxBatchIdLengthWithRequestId = 10;

    public static IEndpointRouteBuilder MapAccountingApi(this IEndpointRouteBuilder app)
    {
        var company = app.MapGroup("/v3/company/{realmId}");
        company.MapGet("/query", QueryByUrl);
        company.MapPost("/query", QueryByBody);
        company.MapPost("/batch", Batch);
        company.MapGet("/cdc", ChangeDataCapture);
        company.MapGet("/{entity}/{id}", Read);
        company.MapGet("/{entity}", ReadSingleton);
        company.MapPost("/{entity}", Write);
        company.MapPost("/invoice/{id}/send", SendInvoice);
        // Anything else under a company is QBO's "Unsupported Operation" (after authentication, as there).
        app.MapFallback("/v3/company/{realmId}/{**path}", Unsupported);
        return app;
    }

    private static Task<IResult> QueryByUrl(HttpContext http, string realmId, QboPipeline pipeline, QboClock clock)
    {
        var query = http.Request.Query["query"].ToString();
        return pipeline.RunAsync(http, realmId, CallKind.Read,
            (op, _) => QboResponses.Ok(new JsonObject { ["QueryResponse"] = AccountingEngine.Query(op, query) }, clock));
    }

    /// <summary>POST with the query as the body (Content-Type application/text), as QBO accepts.</summary>
    private static async Task<IResult> QueryByBody(HttpContext http, string realmId, QboPipeline pipeline, QboClock clock)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var query = await reader.ReadToEndAsync(http.RequestAborted);
        if (string.IsNullOrWhiteSpace(query))
            query = http.Request.Query["query"].ToString();
        return await pipeline.RunAsync(http, realmId, CallKind.Read,
            (op, _) => QboResponses.Ok(new JsonObject { ["QueryResponse"] = AccountingEngine.Query(op, query) }, clock));
    }

    private static Task<IResult> ChangeDataCapture(HttpContext http, string realmId, QboPipeline pipeline, QboClock clock)
    {
        var entities = http.Request.Query["entities"].ToString();
        var changedSince = http.Request.Query["changedSince"].ToString();
        return pipeline.RunAsync(http, realmId, CallKind.Read,
            (op, _) => QboResponses.Ok(new JsonObject { ["CDCResponse"] = AccountingEngine.ChangeDataCapture(op, entities, changedSince) }, clock));
    }

    private static Task<IResult> Read(HttpContext http, string realmId, string entity, string id, QboPipeline pipeline, QboClock clock)
        => pipeline.RunAsync(http, realmId, CallKind.Read, (op, _) =>
        {
            var kind = Kind(http, entity);
            return QboResponses.Entity(kind.Name, AccountingEngine.Read(op, kind, id), clock);
        });

    /// <summary>GET /preferences: the one entity read without an Id.</summary>
    private static Task<IResult> ReadSingleton(HttpContext http, string realmId, string entity, QboPipeline pipeline, QboClock clock)
        => pipeline.RunAsync(http, realmId, CallKind.Read, (op, _) =>
        {
            var kind = Kind(http, entity);
            if (kind != EntityKind.Preferences)
                throw Faults.UnsupportedOperation($"Could not find resource for relative : {http.Request.Path}");
            return QboResponses.Entity(kind.Name, AccountingEngine.Read(op, kind, "1"), clock);
        });

    /// <summary>POST /{entity}: create, or ?operation=update|delete|void (and update&amp;include=void for payments).</summary>
    private static async Task<IResult> Write(HttpContext http, string realmId, string entity, QboPipeline pipeline, QboClock clock)
    {
        var body = await ReadBody(http);
        var operation = http.Request.Query["operation"].ToString().Trim().ToLowerInvariant();
        var include = http.Request.Query["include"].ToString();
        return await pipeline.RunAsync(http, realmId, CallKind.Write, (op, _) =>
        {
            var kind = Kind(http, entity);
            var input = body.Object ?? throw body.Error!;
            op.AllowDuplicateDocNumber = Includes(include, "allowduplicatedocnum");
            var result = Dispatch(op, kind, operation, Includes(include, "void"), input);
            return QboResponses.Entity(kind.Name, result, clock);
        });
    }

    /// <summary>
    /// POST /invoice/{id}/send[?sendTo=]: QuickBooks e-mails the invoice. The body (application/octet-stream) carries
    /// nothing and is not read.
    /// </summary>
    private static Task<IResult> SendInvoice(HttpContext http, string realmId, string id, QboPipeline pipeline, QboClock clock)
    {
        var sendTo = http.Request.Query["sendTo"].ToString();
        return pipeline.RunAsync(http, realmId, CallKind.Write,
            (op, _) => QboResponses.Entity(EntityKind.Invoice.Name, AccountingEngine.SendInvoice(op, id, sendTo), clock));
    }

    private static async Task<IResult> Batch(HttpContext http, string realmId, QboPipeline pipeline, QboClock clock)
    {
        var body = await ReadBody(http);
        return await pipeline.RunAsync(http, realmId, CallKind.Batch, (op, requestId) =>
        {
            var input = body.Object ?? throw body.Error!;
            var items = input.Get("BatchItemRequest") switch
            {
                JsonArray array when array.Count > 0 => array,
                null or JsonArray => throw Faults.RequiredParameterMissing("BatchItemRequest"),
                _ => throw Faults.InvalidProperty("BatchItemRequest"),
            };
            if (items.Count > MaxBatchItems)
                throw Faults.BusinessValidation($"The maximum number of payloads in a single BatchItemRequest is {MaxBatchItems}; this one has {items.Count}.", "BatchItemRequest");

            // QBO does not promise any order: items run, and are answered, in a shuffled order; match them by bId.
            var order = Enumerable.Range(0, items.Count).ToArray();
            Random.Shared.Shuffle(order);
            var responses = new JsonArray();
            foreach (var index in order)
                responses.Add(BatchItem(op, items[index] as JsonObject, requestId, clock));
            op.ClearHidden();
            return QboResponses.Ok(new JsonObject { ["BatchItemResponse"] = responses }, clock);
        });
    }

    private static JsonObject BatchItem(Operation op, JsonObject? item, string? requestId, QboClock clock)
    {
        var bId = item?.Text("bId");
        var response = new JsonObject { ["bId"] = bId };
        try
        {
            if (item is null)
                throw Faults.InvalidProperty("BatchItemRequest");
            if (string.IsNullOrEmpty(bId))
                throw Faults.RequiredParameterMissing("bId");
            if (requestId is not null && bId.Length > MaxBatchIdLengthWithRequestId)
                throw Faults.BusinessValidation(
                    $"When a requestid is given, a bId can have at most {MaxBatchIdLengthWithRequestId} characters; \"{bId}\" has {bId.Length}.", "bId");
            if (requestId is not null && requestId.Length + bId.Length > QboPipeline.MaxRequestIdLength)
                throw Faults.RequestIdTooLong(requestId + bId, QboPipeline.MaxRequestIdLength);

            if (item.Get("Query") is { } query)
            {
                response["QueryResponse"] = AccountingEngine.Query(op, Json.Text(query));
                return response;
            }
            var operation = item.Text("operation")?.Trim().ToLowerInvariant() ?? throw Faults.RequiredParameterMissing("operation");
            var (kind, entity) = item
                .Where(p => EntityKind.Find(p.Key) is not null && p.Value is JsonObject)
                .Select(p => (EntityKind.Find(p.Key)!, (JsonObject)p.Value!))
                .FirstOrDefault();
            if (kind is null || entity is null)
                throw Faults.RequiredParameterMissing("Entity");
            var options = item.Text("optionsData") ?? "";
            op.AllowDuplicateDocNumber = Includes(options, "allowduplicatedocnum");
            var result = Dispatch(op, kind, operation, Includes(options, "void"), entity);
            response[kind.Name] = result;
            if (operation is "" or "create" && result.Text("Id") is { } createdId)
                op.Hide(kind, createdId);
        }
        catch (QboException fault)
        {
            response["Fault"] = QboResponses.FaultBody(fault);
        }
        return response;
    }

    private static JsonObject Dispatch(Operation op, EntityKind kind, string operation, bool includeVoid, JsonObject input) => operation switch
    {
        // QBO's create and update share the POST; a body that names an Id (and SyncToken) is an update.
        "" when input.Text("Id") is not null => AccountingEngine.Update(op, kind, input),
        "" or "create" => AccountingEngine.Create(op, kind, input),
        "update" when includeVoid => AccountingEngine.Void(op, kind, input),
        "update" => AccountingEngine.Update(op, kind, input),
        "delete" => AccountingEngine.Delete(op, kind, input),
        "void" => AccountingEngine.Void(op, kind, input),
        _ => throw Faults.UnsupportedOperation(operation),
    };

    private static Task<IResult> Unsupported(HttpContext http, string realmId, QboPipeline pipeline)
        => pipeline.RunAsync(http, realmId, CallKind.Read,
            (_, _) => throw Faults.UnsupportedOperation($"Could not find resource for relative : {http.Request.Path} of full path: {http.Request.Path}{http.Request.QueryString}"));

    private static EntityKind Kind(HttpContext http, string entity)
        => EntityKind.Find(entity) ?? throw Faults.UnsupportedOperation($"Could not find resource for relative : {http.Request.Path} of full path: {http.Request.Path}{http.Request.QueryString}");

    private static bool Includes(string list, string value)
        => list.Split(',', StringSplitOptions.TrimEntries).Contains(value, StringComparer.OrdinalIgnoreCase);

    private sealed record Body(JsonObject? Object, QboException? Error);

    /// <summary>Reads the JSON body now; a malformed one becomes a fault once the call is authenticated.</summary>
    private static async Task<Body> ReadBody(HttpContext http)
    {
        try
        {
            var node = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            return node is JsonObject obj ? new Body(obj, null) : new Body(null, Faults.InvalidProperty("(request body)"));
        }
        catch (JsonException exception)
        {
            return new Body(null, new QboException(Faults.Validation, 400, new QboError("2010",
                "Request has invalid or unsupported property", $"Property Name:{exception.Message} specified is unsupported or invalid")));
        }
    }
}
