using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace QuoteToCash.Fuzz.Tests;

/// <summary>
/// A plausible JSON value for a request type, built from its public properties: names the way the services bind them
/// (camelCase), strings, numbers, dates and enums of the right shape, one element in every list. Its only purpose is to
/// get past the first checks so that a mutation deeper inside the body is actually read.
/// </summary>
public static class BodySkeleton
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static JsonNode? For(Type? type) => Build(type, "", 0);

    private static JsonNode? Build(Type? type, string name, int depth)
    {
        if (type is null || type == typeof(JsonElement) || type == typeof(JsonDocument) || type == typeof(JsonNode) || type == typeof(object))
            return new JsonObject();
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
            return JsonValue.Create(PlausibleString(name));
        if (type == typeof(bool))
            return JsonValue.Create(true);
        if (type == typeof(decimal) || type == typeof(double) || type == typeof(float))
            return JsonValue.Create(name.Contains("percent", StringComparison.OrdinalIgnoreCase) ? 100m : 10m);
        if (type.IsPrimitive)
            return JsonValue.Create(1);
        if (type.IsEnum)
            return JsonValue.Create(Enum.GetNames(type).First());
        if (type == typeof(Guid))
            return JsonValue.Create("3f2c1a9e-55b7-4c1d-9a4e-0c6b8d2f7e11");
        if (type == typeof(DateOnly))
            return JsonValue.Create("2026-03-02");
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
            return JsonValue.Create("2026-03-02T09:00:00Z");
        if (type == typeof(TimeSpan))
            return JsonValue.Create("00:30:00");
        if (depth > 5)
            return null;
        if (type.IsArray || (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type)))
        {
            var args = type.IsArray ? [type.GetElementType()!] : type.GetGenericArguments();
            if (args.Length == 2)
                return new JsonObject { ["key"] = Build(args[1], "value", depth + 1) };
            return new JsonArray(Build(args.FirstOrDefault(), Singular(name), depth + 1));
        }
        var result = new JsonObject();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanWrite && type.GetConstructors().All(c => c.GetParameters().All(p => !string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase))))
                continue;
            if (property.GetIndexParameters().Length > 0)
                continue;
            result[JsonNamingPolicy.CamelCase.ConvertName(property.Name)] = Build(property.PropertyType, property.Name, depth + 1);
        }
        return result;
    }

    private static string Singular(string name) => name.EndsWith('s') ? name[..^1] : name;

    private static string PlausibleString(string name) => name.ToLowerInvariant() switch
    {
        var n when n.Contains("currency") => "USD",
        var n when n.Contains("country") => "US",
        var n when n.Contains("email") => "ap@acme.test",
        var n when n.Contains("date") || n.EndsWith("at") || n.Contains("since") || n.Contains("until") => "2026-03-02",
        var n when n.Contains("model") => "FixedFee",
        var n when n.Contains("period") => "Monthly",
        var n when n.Contains("url") => "https://crm.example.test/",
        var n when n.Contains("kind") => "hubspot",
        var n when n.Contains("decision") => "approve",
        _ => "fuzz-" + name.ToLowerInvariant(),
    };
}
