using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace QuoteToCash.Sandbox.HubSpot.Domain;

/// <summary>One entry of HubSpot's "Property values were not valid" list.</summary>
public sealed record PropertyError(string Name, string Error, string Message);

/// <summary>Turns request values into the strings HubSpot stores, the way its property types demand.</summary>
public static class PropertyValues
{
    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The raw text of a JSON value: strings as they are, numbers as written, booleans lower-case; null for null.</summary>
    public static bool TryReadRaw(JsonNode? node, out string? raw)
    {
        raw = null;
        if (node is null)
            return true;
        if (node is not JsonValue value)
            return false;
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                raw = value.GetValue<string>();
                return true;
            case JsonValueKind.Number:
                raw = value.ToJsonString();
                return true;
            case JsonValueKind.True:
                raw = "true";
                return true;
            case JsonValueKind.False:
                raw = "false";
                return true;
            case JsonValueKind.Null:
                return true;
            default:
                return false;
        }
    }

    /// <summary>Validates and normalises one value; an empty string clears the property (null).</summary>
    public static PropertyError? Normalize(PropertyDefinition definition, string? raw, out string? normalized)
    {
        normalized = null;
        if (string.IsNullOrEmpty(raw))
            return null;
        switch (definition.Type)
        {
            case "number":
                if (!decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    return new(definition.Name, "INVALID_FLOAT", $"{raw} was not a valid number.");
                normalized = raw.Trim();
                return null;
            case "bool":
                if (!bool.TryParse(raw, out var flag))
                    return new(definition.Name, "INVALID_BOOLEAN", $"{raw} was not a valid boolean. Expected true or false.");
                normalized = flag ? "true" : "false";
                return null;
            case "datetime":
                if (!TryParseInstant(raw, out var instant))
                    return new(definition.Name, "INVALID_DATE", $"{raw} was not a valid long or ISO 8601 date-time.");
                normalized = FormatInstant(instant);
                return null;
            case "date":
                if (!TryParseInstant(raw, out var day) || day.TimeOfDay != TimeSpan.Zero)
                    return new(definition.Name, "INVALID_DATE", $"{raw} is not a valid date: a date must be at midnight UTC (yyyy-MM-dd or epoch ms).");
                normalized = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                return null;
            case "enumeration" when definition.Options.Count > 0 && !definition.ExternalOptions:
                var allowed = definition.Options.Select(o => o.Value).ToList();
                var parts = definition.FieldType == "checkbox" ? raw.Split(';') : [raw];
                var bad = parts.FirstOrDefault(p => !allowed.Contains(p, StringComparer.Ordinal));
                if (bad is not null)
                    return new(definition.Name, "INVALID_OPTION", $"{bad} was not one of the allowed options: [{string.Join(", ", allowed)}]");
                normalized = raw;
                return null;
            default:
                normalized = raw;
                return null;
        }
    }

    /// <summary>Epoch milliseconds or an ISO 8601 date or date-time, as HubSpot accepts for date properties.</summary>
    public static bool TryParseInstant(string raw, out DateTimeOffset instant)
    {
        instant = default;
        if (long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
        {
            try
            {
                instant = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                return true;
            }
            catch (ArgumentOutOfRangeException)
            {
                return false;
            }
        }
        if (!DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant))
            return false;
        instant = instant.ToUniversalTime();
        return true;
    }

    public static string FormatInstant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string FormatDecimal(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static decimal? ParseDecimal(string? raw) =>
        raw is not null && decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>The message text HubSpot puts in a VALIDATION_ERROR for invalid property values.</summary>
    public static string DescribeErrors(IEnumerable<PropertyError> errors, long portalId)
    {
        var list = new JsonArray();
        foreach (var e in errors)
        {
            list.Add(new JsonObject
            {
                ["isValid"] = false,
                ["message"] = e.Message,
                ["error"] = e.Error,
                ["name"] = e.Name,
                ["localizedErrorMessage"] = e.Message,
                ["portalId"] = portalId,
            });
        }
        return "Property values were not valid: " + list.ToJsonString(RelaxedJson);
    }
}
