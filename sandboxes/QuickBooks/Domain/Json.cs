using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace QuoteToCash.Sandbox.QuickBooks.Domain;

/// <summary>Reading and writing the loosely typed JSON that QBO entities are.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };

    /// <summary>Case-insensitive property lookup: QBO's parser accepts "metadata" for "MetaData".</summary>
    public static JsonNode? Get(this JsonObject obj, string name)
    {
        if (obj.TryGetPropertyValue(name, out var exact))
            return exact;
        foreach (var (key, value) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                return value;
        }
        return null;
    }

    public static JsonObject? Object(this JsonObject obj, string name) => obj.Get(name) as JsonObject;

    public static JsonArray? Array(this JsonObject obj, string name) => obj.Get(name) as JsonArray;

    public static string? Text(this JsonObject obj, string name) => Text(obj.Get(name));

    public static string? Text(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value when value.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
        _ => null,
    };

    /// <summary>A number, or a string holding one (QBO accepts "100.00").</summary>
    public static decimal? Decimal(this JsonObject obj, string name, string element)
    {
        var node = obj.Get(name);
        if (node is null)
            return null;
        if (node is JsonValue value)
        {
            // Numbers may be backed by a JsonElement, a decimal, an int…; their JSON text reads back exactly.
            if (value.GetValueKind() == JsonValueKind.Number
                && decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                return number;
            if (value.TryGetValue<string>(out var text) && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
                return parsed;
            if (value.GetValueKind() == JsonValueKind.Null)
                return null;
        }
        throw Faults.InvalidProperty(element);
    }

    public static bool? Bool(this JsonObject obj, string name)
    {
        var node = obj.Get(name);
        return node switch
        {
            JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
            JsonValue value when value.TryGetValue<string>(out var text) && bool.TryParse(text, out var parsed) => parsed,
            _ => null,
        };
    }

    /// <summary>The Id a reference ({"value":"12","name":"…"}) points at, or null.</summary>
    public static string? RefValue(this JsonObject obj, string name) => obj.Object(name) is { } reference ? Text(reference.Get("value")) : null;

    public static JsonValue Number(decimal amount) => JsonValue.Create(Money.Normalize(amount));

    public static JsonObject Ref(string value, string? name)
    {
        var reference = new JsonObject { ["value"] = value };
        if (name is not null)
            reference["name"] = name;
        return reference;
    }

    /// <summary>Sets a property, replacing an existing one whatever its casing.</summary>
    public static void Set(this JsonObject obj, string name, JsonNode? value)
    {
        foreach (var key in obj.Select(p => p.Key).Where(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase) && k != name).ToList())
            obj.Remove(key);
        obj[name] = value;
    }

    public static void RemoveAny(this JsonObject obj, string name)
    {
        foreach (var key in obj.Select(p => p.Key).Where(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)).ToList())
            obj.Remove(key);
    }

    public static JsonObject Clone(this JsonObject obj) => (JsonObject)obj.DeepClone();

    public static byte[] Serialize(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Options);
}
