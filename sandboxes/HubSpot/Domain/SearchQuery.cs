using System.Globalization;

namespace QuoteToCash.Sandbox.HubSpot.Domain;

public sealed record SearchFilter(string PropertyName, string Operator, string? Value, IReadOnlyList<string> Values, string? HighValue);

public sealed record SearchSort(string PropertyName, bool Descending);

/// <summary>The CRM search semantics: OR between filter groups, AND inside a group.</summary>
public static class SearchQuery
{
    public const int MaxFilterGroups = 5;
    public const int MaxFiltersPerGroup = 6;
    public const int MaxFilters = 18;
    public const int MaxLimit = 200;

    public static readonly IReadOnlySet<string> Operators = new HashSet<string>
    {
        "EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN", "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN",
    };

    public static bool Matches(Func<string, string?> valueOf, Func<string, string> typeOf, IReadOnlyList<IReadOnlyList<SearchFilter>> groups) =>
        groups.Count == 0 || groups.Any(g => g.All(f => Matches(valueOf(f.PropertyName), typeOf(f.PropertyName), f)));

    public static bool Matches(string? actual, string propertyType, SearchFilter filter)
    {
        switch (filter.Operator)
        {
            case "HAS_PROPERTY":
                return !string.IsNullOrEmpty(actual);
            case "NOT_HAS_PROPERTY":
                return string.IsNullOrEmpty(actual);
            case "EQ":
                return actual is not null && Compare(actual, filter.Value, propertyType) == 0;
            case "NEQ":
                return actual is null || Compare(actual, filter.Value, propertyType) != 0;
            case "LT":
                return actual is not null && Compare(actual, filter.Value, propertyType) < 0;
            case "LTE":
                return actual is not null && Compare(actual, filter.Value, propertyType) <= 0;
            case "GT":
                return actual is not null && Compare(actual, filter.Value, propertyType) > 0;
            case "GTE":
                return actual is not null && Compare(actual, filter.Value, propertyType) >= 0;
            case "BETWEEN":
                return actual is not null && Compare(actual, filter.Value, propertyType) >= 0 && Compare(actual, filter.HighValue, propertyType) <= 0;
            case "IN":
                return actual is not null && filter.Values.Any(v => Compare(actual, v, propertyType) == 0);
            case "NOT_IN":
                return actual is null || filter.Values.All(v => Compare(actual, v, propertyType) != 0);
            case "CONTAINS_TOKEN":
                return actual is not null && ContainsToken(actual, filter.Value);
            case "NOT_CONTAINS_TOKEN":
                return actual is null || !ContainsToken(actual, filter.Value);
            default:
                return false;
        }
    }

    /// <summary>Numbers compare as numbers, dates as instants, everything else case-insensitively.</summary>
    public static int Compare(string actual, string? expected, string propertyType)
    {
        expected ??= "";
        if (propertyType == "number"
            && decimal.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            && decimal.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var b))
            return a.CompareTo(b);
        if (propertyType is "datetime" or "date"
            && PropertyValues.TryParseInstant(actual, out var x)
            && PropertyValues.TryParseInstant(expected, out var y))
            return x.CompareTo(y);
        return string.Compare(actual, expected, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Token match with HubSpot's "*" wildcard (e.g. "*@example.com").</summary>
    public static bool ContainsToken(string actual, string? token)
    {
        if (string.IsNullOrEmpty(token))
            return false;
        if (token.Contains('*', StringComparison.Ordinal))
        {
            var pattern = "^" + System.Text.RegularExpressions.Regex.Escape(token).Replace("\\*", ".*", StringComparison.Ordinal) + "$";
            return System.Text.RegularExpressions.Regex.IsMatch(actual, pattern, System.Text.RegularExpressions.RegexOptions.IgnoreCase)
                || Tokens(actual).Any(t => System.Text.RegularExpressions.Regex.IsMatch(t, pattern, System.Text.RegularExpressions.RegexOptions.IgnoreCase));
        }
        return string.Equals(actual, token, StringComparison.OrdinalIgnoreCase)
            || Tokens(actual).Any(t => string.Equals(t, token, StringComparison.OrdinalIgnoreCase));
    }

    private static IEnumerable<string> Tokens(string value) =>
        value.Split([' ', '\t', ',', '.', '-', '_', '@', '/', '(', ')'], StringSplitOptions.RemoveEmptyEntries);
}
