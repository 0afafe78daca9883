using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace QuoteToCash.Sandbox.Salesforce.Domain;

/// <summary>A Salesforce API error: errorCode, message and the fields concerned.</summary>
public sealed record SfError(string ErrorCode, string Message, IReadOnlyList<string>? Fields = null)
{
    public JsonObject ToJson()
    {
        var body = new JsonObject { ["message"] = Message, ["errorCode"] = ErrorCode };
        if (Fields is not null)
            body["fields"] = new JsonArray(Fields.Select(f => (JsonNode)JsonValue.Create(f)).ToArray());
        return body;
    }
}

/// <summary>Converts request values to the stored wire form of each field type, and formats values for the different outputs.</summary>
public static class FieldValues
{
    public static string FormatDateTime(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    /// <summary>The number in a stored value, whatever CLR type the JSON node was built from.</summary>
    public static decimal? ToDecimal(JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
            return null;
        if (value.TryGetValue<decimal>(out var d))
            return d;
        if (value.TryGetValue<long>(out var l))
            return l;
        if (value.TryGetValue<int>(out var i))
            return i;
        return decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    public static string FormatDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Validates a value written through the REST API; returns the stored form or an error.</summary>
    public static SfError? Normalize(SObjectType type, FieldDef field, JsonNode? input, out JsonNode? value)
    {
        value = null;
        if (input is null || (input is JsonValue s && s.GetValueKind() == JsonValueKind.String && s.GetValue<string>().Length == 0 && !field.IsNumber && field.Type != "boolean"))
            return null;
        if (input is not JsonValue raw)
            return Parser(field, input.ToJsonString());
        var kind = raw.GetValueKind();
        var text = kind == JsonValueKind.String ? raw.GetValue<string>() : raw.ToJsonString();
        switch (field.Type)
        {
            case "boolean":
                if (kind is JsonValueKind.True or JsonValueKind.False)
                    value = JsonValue.Create(kind == JsonValueKind.True);
                else if (bool.TryParse(text, out var flag))
                    value = JsonValue.Create(flag);
                else
                    return Parser(field, text);
                return null;
            case "currency" or "double" or "percent":
                if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    return Parser(field, text);
                value = JsonValue.Create(number);
                return null;
            case "int":
                if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var whole) || whole != decimal.Truncate(whole))
                    return Parser(field, text);
                value = JsonValue.Create((long)whole);
                return null;
            case "date":
                if (!TryParseDate(text, out var date))
                    return Parser(field, text);
                value = JsonValue.Create(FormatDate(date));
                return null;
            case "datetime":
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
                    return Parser(field, text);
                value = JsonValue.Create(FormatDateTime(instant));
                return null;
            case "reference" or "id":
                var id = SalesforceId.Normalize(text);
                if (id is null)
                    return new SfError("MALFORMED_ID", $"{field.Label}: id value of incorrect type: {text}", [field.Name]);
                if (field.ReferenceTo is not null && !id.StartsWith(Schema.Resolve(field.ReferenceTo)!.KeyPrefix, StringComparison.Ordinal))
                    return new SfError("FIELD_INTEGRITY_EXCEPTION", $"{field.Label}: id value of incorrect type: {text}", [field.Name]);
                value = JsonValue.Create(id);
                return null;
            default:
                if (field.Length > 0 && text.Length > field.Length)
                    return new SfError("STRING_TOO_LONG", $"{field.Label}: data value too large: {text} (max length={field.Length})", [field.Name]);
                value = JsonValue.Create(text);
                return null;
        }
    }

    private static SfError Parser(FieldDef field, string text) =>
        new("JSON_PARSER_ERROR", $"Cannot deserialize instance of {field.Type} from VALUE_STRING value {text} or request may be missing a required field");

    public static bool TryParseDate(string text, out DateOnly date)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            return true;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            date = DateOnly.FromDateTime(instant.UtcDateTime);
            return true;
        }
        return false;
    }

    /// <summary>The instant a stored date or datetime value stands for (dates at midnight UTC).</summary>
    public static DateTimeOffset? Instant(FieldDef field, JsonNode? stored)
    {
        var text = stored?.ToString();
        if (text is null)
            return null;
        if (field.Type == "date" && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            return new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var i) ? i : null;
    }

    /// <summary>A stored value as CDC JSON shows it: datetimes in ISO 8601 with Z.</summary>
    public static JsonNode? ForChangeEvent(FieldDef field, JsonNode? stored)
    {
        if (stored is null)
            return null;
        if (field.Type == "datetime" && Instant(field, stored) is { } instant)
            return JsonValue.Create(instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        return stored.DeepClone();
    }

    /// <summary>A stored value as SOAP (Outbound Messages) shows it.</summary>
    public static string ForSoap(FieldDef field, JsonNode stored)
    {
        if (field.Type == "datetime" && Instant(field, stored) is { } instant)
            return instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        if (stored is JsonValue v && v.GetValueKind() == JsonValueKind.Number && field.Type is "currency" or "double" or "percent")
        {
            var number = ToDecimal(v)!.Value;
            return number == decimal.Truncate(number) ? number.ToString("0.0", CultureInfo.InvariantCulture) : number.ToString(CultureInfo.InvariantCulture);
        }
        return stored is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? (b.GetValueKind() == JsonValueKind.True ? "true" : "false")
            : stored.ToString();
    }
}
