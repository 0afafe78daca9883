using System.Text.Json;

namespace QuoteToCash.CrmIngest.Domain;

/// <summary>
/// What a CRM's error answer may contribute to an error message the platform keeps or shows: only the vendor's
/// structured error fields (HubSpot's <c>category</c> and <c>message</c>, Salesforce's <c>errorCode</c> and
/// <c>message</c>, OAuth's <c>error</c> and <c>error_description</c>), each cut to a bounded length. A body that is not
/// such a JSON error (an HTML page, a proxy's text, whatever a misdirected URL returns) is never echoed. Pure.
/// </summary>
public static class VendorErrorText
{
    public const int MaxLength = 300;

    /// <summary>The vendor's own words for the error, or null when the body carries none.</summary>
    public static string? Describe(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
            return null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var parts = root.ValueKind switch
            {
                JsonValueKind.Array => root.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).Select(Fields),
                JsonValueKind.Object => [Fields(root)],
                _ => [],
            };
            var text = string.Join("; ", parts.Where(p => p.Length > 0));
            return text.Length == 0 ? null : text.Length > MaxLength ? text[..MaxLength] + "…" : text;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>"answered 400: VALIDATION_ERROR: Property values were not valid", or "answered 502" without a readable error.</summary>
    public static string Answered(string vendor, int status, string? body) =>
        Describe(body) is { } error ? $"{vendor} answered {status}: {error}" : $"{vendor} answered {status}";

    private static string Fields(JsonElement error)
    {
        var code = Text(error, "category") ?? Text(error, "errorCode") ?? Text(error, "error");
        var message = Text(error, "message") ?? Text(error, "error_description");
        return code is null ? message ?? string.Empty : message is null ? code : $"{code}: {message}";
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!.Trim()
            : null;
}
