using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace QuoteToCash.Fuzz.Tests;

/// <summary>
/// One request of the fuzz: what it sends and, for the failure message, what is hostile about it. <paramref name="Sign"/>
/// adds headers computed over the exact bytes when the request is made (a signature with its timestamp).
/// </summary>
public sealed record FuzzCase(string Id, string Method, string Path, byte[]? Body, string ContentType, string Description,
    Action<HttpRequestMessage, byte[]>? Sign = null)
{
    public HttpRequestMessage ToRequest()
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), Path);
        request.Headers.TryAddWithoutValidation(RequestEffects.CaseHeader, Id);
        Sign?.Invoke(request, Body ?? []);
        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }
        return request;
    }

    public override string ToString() =>
        $"{Method} {Shorten(Path)} [{Description}]" + (Body is null ? "" : $" body: {Shorten(Encoding.UTF8.GetString(Body))}");

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..120] + $"…({text.Length} chars)";
}

/// <summary>
/// Hostile requests for an endpoint, from a fixed seed: hostile route values (over-long keys, invalid UTF-8, traversal),
/// hostile query values, and bodies that are empty, not JSON, invalid UTF-8, deeply nested, huge, or the endpoint's
/// plausible body with one part replaced by a null, a wrong type, a huge number, a long string or many repeats.
/// </summary>
public static class HostileInputs
{
    public const int Seed = 20260302;

    /// <summary>How many single-part mutations of the plausible body each endpoint gets (the parts are sampled with the seed).</summary>
    public const int BodyMutationsPerEndpoint = 48;

    private static readonly string LongKey = new('k', 1100);
    private static readonly string LongUnicodeKey = string.Concat(Enumerable.Repeat("é漢", 400));

    /// <summary>Route values, already URL-encoded as a client would put them in the path.</summary>
    public static readonly IReadOnlyList<(string Value, string Why)> RouteValues =
    [
        (LongKey, "1,100-character key"),
        (Uri.EscapeDataString(LongUnicodeKey), "2,000-byte UTF-8 key"),
        ("%FF%FE%C3%28", "invalid UTF-8"),
        // No %00: Kestrel refuses a NUL in the path before any app sees it (and the in-process test server throws on it).
        ("..%2F..%2Fetc", "encoded traversal"),
        ("-1", "negative"),
        ("99999999999999999999999", "number beyond long"),
        ("%20", "blank"),
    ];

    /// <summary>Values that replace one part of a plausible body.</summary>
    internal static readonly IReadOnlyList<(Func<JsonNode?> Value, string Why)> PartValues =
    [
        (() => null, "null"),
        (() => JsonValue.Create("not-a-number"), "string"),
        (() => JsonValue.Create(1e30), "1e30"),
        (() => JsonValue.Create(9e18), "9e18"),
        (() => JsonValue.Create(-9e18), "-9e18"),
        (() => JsonValue.Create(decimal.MaxValue), "decimal.MaxValue"),
        (() => JsonValue.Create(true), "boolean"),
        (() => new JsonArray(), "empty array"),
        (() => new JsonArray((JsonNode?)null), "array of null"),
        (() => new JsonObject(), "empty object"),
        (() => JsonValue.Create(LongKey), "1,100-character string"),
        (() => JsonValue.Create(LongUnicodeKey), "2,000-byte UTF-8 string"),
        (() => JsonValue.Create("\u0000\u202e\ud800"), "NUL, bidi override and a lone surrogate"),
    ];

    public static IEnumerable<FuzzCase> For(FuzzedEndpoint endpoint)
    {
        var random = new Random(Seed ^ StableHash(endpoint.ToString()));
        var n = 0;
        string Next() => $"{endpoint.Method} {endpoint.Route} #{n++}";
        var plausibleBody = endpoint.TakesBody ? Utf8(endpoint.BaselineBody().GetRawText()) : null;

        foreach (var parameter in endpoint.Pattern.Parameters)
            foreach (var (value, why) in RouteValues)
                yield return new FuzzCase(Next(), endpoint.Method, endpoint.Path(parameter.Name, value), plausibleBody, "application/json",
                    $"route {parameter.Name}: {why}");

        foreach (var query in endpoint.QueryParameters)
            foreach (var (value, why) in RouteValues.Append(("%00", "NUL")))
                yield return new FuzzCase(Next(), endpoint.Method, $"{endpoint.Path()}?{query.Name}={value}", plausibleBody, "application/json",
                    $"query {query.Name}: {why}");

        if (!endpoint.TakesBody)
            yield break;

        foreach (var (body, contentType, why) in WholeBodies())
            yield return new FuzzCase(Next(), endpoint.Method, endpoint.Path(), body, contentType, why);

        var baseline = JsonNode.Parse(endpoint.BaselineBody().GetRawText());
        yield return new FuzzCase(Next(), endpoint.Method, endpoint.Path(), Utf8(WrapInArray(baseline)), "application/json", "array where the object is");
        var parts = Parts(baseline, "$").ToList();
        foreach (var (path, _) in parts.Where(p => p.Node is JsonArray))
        {
            var repeated = JsonNode.Parse(baseline!.ToJsonString())!;
            var array = (JsonArray)Find(repeated, path)!;
            var first = array.Count > 0 ? array[0]?.ToJsonString() : "1";
            for (var i = 0; i < 2_000; i++)
                array.Add(first is null ? null : JsonNode.Parse(first));
            yield return new FuzzCase(Next(), endpoint.Method, endpoint.Path(), Utf8(repeated.ToJsonString()), "application/json", $"{path}: 2,000 repeats");
        }
        for (var i = 0; i < BodyMutationsPerEndpoint && parts.Count > 0; i++)
        {
            var (path, _) = parts[random.Next(parts.Count)];
            var (value, why) = PartValues[random.Next(PartValues.Count)];
            var mutated = Replace(baseline, path, value());
            yield return new FuzzCase(Next(), endpoint.Method, endpoint.Path(), Utf8(mutated), "application/json", $"{path}: {why}");
        }
    }

    internal static IEnumerable<(byte[] Body, string ContentType, string Why)> WholeBodies()
    {
        yield return ([], "application/json", "empty body");
        yield return (Utf8("null"), "application/json", "JSON null");
        yield return (Utf8("\"text\""), "application/json", "a string");
        yield return (Utf8("12345678901234567890123456789"), "application/json", "a huge number");
        yield return (Utf8("{\"a\":"), "application/json", "truncated JSON");
        yield return (Utf8("{\"a\":1,\"a\":2,\"a\":[1],\"a\":{}}"), "application/json", "repeated property");
        yield return ([(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, 0xFF, (byte)'"', (byte)'}'], "application/json", "invalid UTF-8 in a string");
        yield return ([0xFF, 0xFE, 0xFD], "application/json", "invalid UTF-8 bytes");
        yield return (Utf8(new string('[', 5_000) + new string(']', 5_000)), "application/json", "5,000 nested arrays");
        yield return (Utf8(string.Concat(Enumerable.Repeat("{\"a\":", 2_000)) + "1" + new string('}', 2_000)), "application/json", "2,000 nested objects");
        yield return (Utf8("[" + string.Join(",", Enumerable.Repeat("{}", 50_000)) + "]"), "application/json", "50,000 empty objects");
        yield return (Utf8("<x/>"), "text/plain", "not JSON, as text/plain");
    }

    /// <summary>Every part of the body with its JSONPath-like address; arrays contribute themselves and their first element.</summary>
    internal static IEnumerable<(string Path, JsonNode? Node)> Parts(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    yield return ($"{path}.{name}", child);
                    foreach (var inner in Parts(child, $"{path}.{name}"))
                        yield return inner;
                }
                break;
            case JsonArray array when array.Count > 0:
                yield return ($"{path}[0]", array[0]);
                foreach (var inner in Parts(array[0], $"{path}[0]"))
                    yield return inner;
                break;
        }
    }

    private static JsonNode? Find(JsonNode root, string path)
    {
        JsonNode? node = root;
        foreach (var step in Steps(path))
            node = step is int index ? node![index] : node![(string)step];
        return node;
    }

    private static IEnumerable<object> Steps(string path)
    {
        foreach (var segment in path[1..].Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment;
            var indexes = new List<int>();
            while (name.EndsWith(']'))
            {
                var open = name.LastIndexOf('[');
                indexes.Insert(0, int.Parse(name[(open + 1)..^1], System.Globalization.CultureInfo.InvariantCulture));
                name = name[..open];
            }
            if (name.Length > 0)
                yield return name;
            foreach (var index in indexes)
                yield return index;
        }
    }

    internal static string Replace(JsonNode? baseline, string path, JsonNode? value)
    {
        var copy = JsonNode.Parse(baseline!.ToJsonString())!;
        var steps = Steps(path).ToList();
        var parent = steps.Count == 1 ? copy : Find(copy, "$" + Render(steps[..^1]));
        switch (steps[^1])
        {
            case int index:
                parent![index] = value;
                break;
            case string name:
                parent![name] = value;
                break;
        }
        return copy.ToJsonString();
    }

    private static string Render(IEnumerable<object> steps) =>
        string.Concat(steps.Select(s => s is int i ? $"[{i}]" : $".{s}"));

    private static string WrapInArray(JsonNode? node) => "[" + (node?.ToJsonString() ?? "null") + "]";

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>FNV-1a: string hash codes differ between runs, and the fuzz must not.</summary>
    internal static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
            hash = (hash ^ c) * 16777619u;
        return (int)hash;
    }
}
