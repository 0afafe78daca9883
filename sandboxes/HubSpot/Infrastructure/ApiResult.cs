using System.Text.Json;
using System.Text.Json.Nodes;

namespace QuoteToCash.Sandbox.HubSpot.Infrastructure;

/// <summary>A status code and a JSON body, built while the store holds its lock and written afterwards.</summary>
public sealed record ApiResult(int Status, JsonNode? Body) : IResult
{
    public static ApiResult NoContent { get; } = new(StatusCodes.Status204NoContent, null);

    /// <summary>Plain UTF-8 and plain quotes in bodies, as HubSpot writes them.</summary>
    public static readonly JsonSerializerOptions BodyOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = Status;
        if (Status == StatusCodes.Status204NoContent || Body is null)
            return;
        httpContext.Response.ContentType = "application/json;charset=utf-8";
        await using var writer = new Utf8JsonWriter(httpContext.Response.Body, WriterOptions);
        Body.WriteTo(writer);
        await writer.FlushAsync(httpContext.RequestAborted);
    }

    /// <summary>HubSpot's error body: status, message, correlationId, category, and optional context and errors.</summary>
    public static ApiResult Error(int status, string category, string message, JsonObject? context = null, JsonArray? errors = null, string? subCategory = null)
    {
        var body = new JsonObject
        {
            ["status"] = "error",
            ["message"] = message,
            ["correlationId"] = Guid.NewGuid().ToString(),
        };
        if (context is not null)
            body["context"] = context;
        body["category"] = category;
        if (subCategory is not null)
            body["subCategory"] = subCategory;
        if (errors is not null)
            body["errors"] = errors;
        return new ApiResult(status, body);
    }

    public static ApiResult Validation(string message, JsonObject? context = null) =>
        Error(StatusCodes.Status400BadRequest, "VALIDATION_ERROR", message, context);

    public static ApiResult NotFound(string message, JsonObject? context = null) =>
        Error(StatusCodes.Status404NotFound, "OBJECT_NOT_FOUND", message, context);
}
