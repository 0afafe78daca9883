using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using QuoteToCash.Sandbox.Salesforce.Domain;
using QuoteToCash.Sandbox.Salesforce.Infrastructure;

namespace QuoteToCash.Sandbox.Salesforce.Apis;

internal static class RequestReading
{
    /// <summary>Parses the body as JSON; malformed JSON gets Salesforce's JSON_PARSER_ERROR.</summary>
    public static async Task<(JsonNode? Body, ApiResult? Error)> ReadJsonAsync(HttpRequest request)
    {
        try
        {
            using var reader = new StreamReader(request.Body);
            var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
            return string.IsNullOrWhiteSpace(text) ? (null, null) : (JsonNode.Parse(text), null);
        }
        catch (JsonException exception)
        {
            return (null, ApiResult.BadRequest(new SfError("JSON_PARSER_ERROR", $"Unexpected character at [line:{exception.LineNumber + 1}, column:{exception.BytePositionInLine + 1}]")));
        }
    }

    /// <summary>The instance URL to hand out: configured, or the scheme and host this request came to.</summary>
    public static string InstanceUrl(HttpRequest request)
    {
        var configured = request.HttpContext.RequestServices.GetRequiredService<IOptions<SalesforceSandboxOptions>>().Value.InstanceUrl;
        return string.IsNullOrWhiteSpace(configured) ? $"{request.Scheme}://{request.Host}" : configured.TrimEnd('/');
    }
}
