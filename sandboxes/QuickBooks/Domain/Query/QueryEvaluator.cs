using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace QuoteToCash.Sandbox.QuickBooks.Domain.Query;

/// <summary>Runs a parsed query over a realm's entities.</summary>
public static class QueryEvaluator
{
    public const int DefaultMaxResults = 100;
    public const int MaxMaxResults = 1000;

    public sealed record Page(IReadOnlyList<JsonObject> Entities, int StartPosition, int TotalCount);

    public static Page Run(SelectStatement query, EntityKind kind, IEnumerable<JsonObject> entities, QboClock clock)
    {
        if (query.MaxResults is > MaxMaxResults)
            throw Faults.QueryValidation($"value {query.MaxResults} is too large. Max allowed value is {MaxMaxResults}");
        if (query.MaxResults is < 0)
            throw Faults.QueryValidation($"value {query.MaxResults} is too small. Min allowed value is 0");

        var filtersActive = query.Where.Any(c => string.Equals(c.Field, "Active", StringComparison.OrdinalIgnoreCase));
        var matches = entities.Where(e => query.Where.All(c => Matches(e, c, clock)));
        if (kind.HasActiveFlag && !filtersActive)
            matches = matches.Where(e => e.Bool("Active") != false);

        var ordered = matches.ToList();
        ordered.Sort((a, b) => CompareForOrder(a, b, query.OrderBy, clock));
        if (query.Count)
            return new Page([], 1, ordered.Count);

        var start = Math.Max(1, query.StartPosition ?? 1);
        var max = query.MaxResults ?? DefaultMaxResults;
        var page = ordered.Skip(start - 1).Take(max).ToList();
        return new Page(page, start, ordered.Count);
    }

    private static bool Matches(JsonObject entity, Condition condition, QboClock clock)
    {
        var value = Resolve(entity, condition.Field);
        if (value is null)
            return false;
        return condition.Operator switch
        {
            "=" => Compare(value, condition.Values[0], condition.Field, clock) == 0,
            "<" => Compare(value, condition.Values[0], condition.Field, clock) < 0,
            ">" => Compare(value, condition.Values[0], condition.Field, clock) > 0,
            "<=" => Compare(value, condition.Values[0], condition.Field, clock) <= 0,
            ">=" => Compare(value, condition.Values[0], condition.Field, clock) >= 0,
            "IN" => condition.Values.Any(v => Compare(value, v, condition.Field, clock) == 0),
            "LIKE" => Like(value, condition.Values[0].Text),
            _ => false,
        };
    }

    /// <summary>Follows a dotted path; a reference compares by its value and an e-mail object by its address.</summary>
    public static JsonValue? Resolve(JsonObject entity, string path)
    {
        JsonNode? node = entity;
        foreach (var part in path.Split('.'))
            node = node is JsonObject obj ? obj.Get(part) : null;
        return node switch
        {
            JsonValue value => value,
            JsonObject obj when obj.Get("value") is JsonValue reference => reference,
            JsonObject obj when obj.Get("Address") is JsonValue address => address,
            JsonObject obj when obj.Get("FreeFormNumber") is JsonValue phone => phone,
            _ => null,
        };
    }

    /// <summary>Compares a stored value with a literal: numbers as numbers, timestamps as instants, text case-insensitively.</summary>
    private static int? Compare(JsonValue stored, Literal literal, string field, QboClock clock)
    {
        var kind = stored.GetValueKind();
        if (kind is JsonValueKind.True or JsonValueKind.False)
        {
            var flag = kind == JsonValueKind.True;
            return bool.TryParse(literal.Text, out var other) ? flag.CompareTo(other) : null;
        }
        var text = kind == JsonValueKind.String ? stored.GetValue<string>() : stored.ToJsonString();
        var numericField = kind == JsonValueKind.Number || string.Equals(field, "Id", StringComparison.OrdinalIgnoreCase);
        if (numericField && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var left) && literal.Number is { } right)
            return left.CompareTo(right);
        if (LooksLikeDate(text) && LooksLikeDate(literal.Text) && clock.TryParseTimestamp(text, out var when) && clock.TryParseTimestamp(literal.Text, out var other2))
            return when.CompareTo(other2);
        return string.Compare(text, literal.Text, StringComparison.OrdinalIgnoreCase);
    }

    private static bool LooksLikeDate(string text)
        => text.Length >= 10 && char.IsDigit(text[0]) && text[4] == '-' && text[7] == '-';

    private static bool Like(JsonValue stored, string pattern)
    {
        var text = stored.GetValueKind() == JsonValueKind.String ? stored.GetValue<string>() : stored.ToJsonString();
        var regex = "^" + string.Join(".*", pattern.Split('%').Select(Regex.Escape)) + "$";
        return Regex.IsMatch(text, regex, RegexOptions.IgnoreCase | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }

    private static int CompareForOrder(JsonObject a, JsonObject b, IReadOnlyList<Ordering> orderBy, QboClock clock)
    {
        foreach (var ordering in orderBy)
        {
            var result = CompareValues(Resolve(a, ordering.Field), Resolve(b, ordering.Field), ordering.Field, clock);
            if (result != 0)
                return ordering.Descending ? -result : result;
        }
        return CompareValues(Resolve(a, "Id"), Resolve(b, "Id"), "Id", clock);
    }

    private static int CompareValues(JsonValue? a, JsonValue? b, string field, QboClock clock)
    {
        if (a is null || b is null)
            return a is null ? (b is null ? 0 : -1) : 1;
        var literal = new Literal(LiteralKind.String, a.GetValueKind() == JsonValueKind.String ? a.GetValue<string>() : a.ToJsonString());
        return -(Compare(b, literal, field, clock) ?? 0);
    }
}
