using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.Salesforce.Domain;

namespace QuoteToCash.Sandbox.Salesforce.Infrastructure;

/// <summary>A status code and a JSON body, built under the store's lock and written afterwards.</summary>
public sealed record ApiResult(int Status, JsonNode? Body) : IResult
{
    public static ApiResult NoContent { get; } = new(StatusCodes.Status204NoContent, null);

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = Status;
        if (Status == StatusCodes.Status204NoContent || Body is null)
            return;
        httpContext.Response.ContentType = "application/json;charset=UTF-8";
        await using var writer = new Utf8JsonWriter(httpContext.Response.Body, WriterOptions);
        Body.WriteTo(writer);
        await writer.FlushAsync(httpContext.RequestAborted);
    }

    /// <summary>Salesforce's REST error body: an array of {message, errorCode[, fields]}.</summary>
    public static ApiResult Errors(int status, params SfError[] errors) =>
        new(status, new JsonArray(errors.Select(e => (JsonNode)e.ToJson()).ToArray()));

    public static ApiResult BadRequest(SfError error) => Errors(StatusCodes.Status400BadRequest, error);

    public static ApiResult NotFound() =>
        Errors(StatusCodes.Status404NotFound, new SfError("NOT_FOUND", "The requested resource does not exist"));

    public static ApiResult Ok(JsonNode body) => new(StatusCodes.Status200OK, body);
}
