using System.Text.Json;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.HubSpot.Domain;
using QuoteToCash.Sandbox.HubSpot.Infrastructure;

namespace QuoteToCash.Sandbox.HubSpot.Apis;

internal static class RequestReading
{
    /// <summary>Parses the body as JSON; malformed JSON gets HubSpot's VALIDATION_ERROR.</summary>
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
            return (null, ApiResult.Validation($"Invalid input JSON on line {exception.LineNumber + 1}, column {exception.BytePositionInLine + 1}: {exception.Message}"));
        }
    }

    /// <summary>Repeated and comma-separated query values (?properties=a&amp;properties=b,c).</summary>
    public static List<string>? QueryList(HttpRequest request, string name)
    {
        if (!request.Query.TryGetValue(name, out var values))
            return null;
        return values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
    }

    public static bool QueryFlag(HttpRequest request, string name) =>
        string.Equals(request.Query[name].ToString(), "true", StringComparison.OrdinalIgnoreCase);

    public static ApiResult UnknownType(string name) => ApiResult.Validation($"Unable to infer object type from: {name}");

    /// <summary>Resolves the object types named in ?associations=, or the error for the first unknown one.</summary>
    public static (List<ObjectType> Types, ApiResult? Error) AssociationTypes(HttpRequest request)
    {
        var types = new List<ObjectType>();
        foreach (var name in QueryList(request, "associations") ?? [])
        {
            var type = ObjectType.Resolve(name);
            if (type is null)
                return ([], UnknownType(name));
            types.Add(type);
        }
        return (types, null);
    }
}
