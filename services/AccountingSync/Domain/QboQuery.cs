using System.Globalization;
using System.Text;

namespace QuoteToCash.AccountingSync.Domain;

/// <summary>
/// Builds QuickBooks Online query-language statements with correct escaping: string literals are
/// single-quoted with <c>\</c> and <c>'</c> escaped by a backslash. The language has no OR, no
/// projections and at most 1000 results per page.
/// </summary>
public sealed class QboQuery
{
    public const int MaxPageSize = 1000;
    private static readonly HashSet<string> Operators = ["=", "<", ">", "<=", ">=", "LIKE", "IN"];
    private readonly string _entity;
    private readonly bool _count;
    private readonly List<string> _conditions = [];
    private string? _orderBy;
    private int? _startPosition;
    private int? _maxResults;

    private QboQuery(string entity, bool count)
    {
        if (string.IsNullOrWhiteSpace(entity) || !entity.All(char.IsAsciiLetter))
            throw new ArgumentException($"'{entity}' is not a QuickBooks entity name.", nameof(entity));
        _entity = entity;
        _count = count;
    }

    public static QboQuery From(string entity) => new(entity, count: false);

    public static QboQuery Count(string entity) => new(entity, count: true);

    /// <summary>Escapes a value for use inside a single-quoted literal.</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '\\' or '\'')
                builder.Append('\\');
            builder.Append(c);
        }
        return builder.ToString();
    }

    public static string Literal(object value) => value switch
    {
        null => throw new ArgumentNullException(nameof(value)),
        string s => $"'{Escape(s)}'",
        bool b => b ? "true" : "false",
        DateTimeOffset d => $"'{d.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)}'",
        DateTime d => $"'{new DateTimeOffset(d.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : d).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)}'",
        DateOnly d => $"'{d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'",
        decimal or int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => $"'{Escape(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty)}'",
    };

    /// <summary>Adds "<paramref name="property"/> <paramref name="op"/> value"; conditions are joined with AND.</summary>
    public QboQuery Where(string property, string op, object value)
    {
        ValidateProperty(property);
        var normalized = op.Trim().ToUpperInvariant();
        if (!Operators.Contains(normalized) || normalized == "IN")
            throw new ArgumentException($"Operator '{op}' is not supported here; use In(...) for IN.", nameof(op));
        _conditions.Add($"{property} {normalized} {Literal(value)}");
        return this;
    }

    public QboQuery In(string property, IEnumerable<object> values)
    {
        ValidateProperty(property);
        var literals = values.Select(Literal).ToList();
        if (literals.Count == 0)
            throw new ArgumentException("IN needs at least one value.", nameof(values));
        _conditions.Add($"{property} IN ({string.Join(", ", literals)})");
        return this;
    }

    public QboQuery OrderBy(string property, bool descending = false)
    {
        ValidateProperty(property);
        _orderBy = descending ? $"{property} DESC" : property;
        return this;
    }

    /// <summary>One page: positions are 1-based; at most 1000 results.</summary>
    public QboQuery Page(int startPosition, int maxResults)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(startPosition, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxResults, MaxPageSize);
        _startPosition = startPosition;
        _maxResults = maxResults;
        return this;
    }

    public override string ToString()
    {
        var builder = new StringBuilder(_count ? "SELECT COUNT(*) FROM " : "SELECT * FROM ").Append(_entity);
        if (_conditions.Count > 0)
            builder.Append(" WHERE ").Append(string.Join(" AND ", _conditions));
        if (_orderBy is not null)
            builder.Append(" ORDERBY ").Append(_orderBy);
        if (_startPosition is { } start)
            builder.Append(" STARTPOSITION ").Append(start.ToString(CultureInfo.InvariantCulture));
        if (_maxResults is { } max)
            builder.Append(" MAXRESULTS ").Append(max.ToString(CultureInfo.InvariantCulture));
        return builder.ToString();
    }

    private static void ValidateProperty(string property)
    {
        if (string.IsNullOrWhiteSpace(property) || !property.All(c => char.IsAsciiLetterOrDigit(c) || c == '.'))
            throw new ArgumentException($"'{property}' is not a property path.", nameof(property));
    }
}
