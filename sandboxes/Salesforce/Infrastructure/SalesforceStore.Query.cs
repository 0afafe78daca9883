using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using QuoteToCash.Sandbox.Salesforce.Domain;
using QuoteToCash.Sandbox.Salesforce.Domain.Soql;

namespace QuoteToCash.Sandbox.Salesforce.Infrastructure;

public sealed partial class SalesforceStore
{
    private readonly Dictionary<string, List<JsonObject>> _cursors = [];

    /// <summary>GET /query?q=: runs SOQL; pages of batchSize records with nextRecordsUrl.</summary>
    public ApiResult Query(SfCaller caller, string? soql, int batchSize)
    {
        if (string.IsNullOrWhiteSpace(soql))
            return ApiResult.BadRequest(new SfError("MALFORMED_QUERY", "A query string has to be specified"));
        try
        {
            var query = SoqlParser.Parse(soql);
            lock (_gate)
            {
                var org = OrgOf(caller);
                var type = Schema.Resolve(query.From)
                    ?? throw new SoqlException("INVALID_TYPE", $"sObject type '{query.From}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.", query.FromPosition);
                var context = new QueryContext(org, caller, Today: DateOnly.FromDateTime(Now.UtcDateTime));
                var (records, total) = Execute(context, type, query, org.Records[type.Name].Values);
                var body = new JsonObject { ["totalSize"] = total, ["done"] = true };
                if (records.Count > batchSize)
                {
                    var locator = "01g" + Guid.NewGuid().ToString("N")[..15];
                    _cursors[locator] = records;
                    body["done"] = false;
                    body["nextRecordsUrl"] = $"/services/data/v{caller.ApiVersion}/query/{locator}-{batchSize}";
                    records = records.Take(batchSize).ToList();
                }
                body["records"] = new JsonArray(records.Select(r => (JsonNode)r.DeepClone()).ToArray());
                return ApiResult.Ok(body);
            }
        }
        catch (SoqlException exception)
        {
            return ApiResult.BadRequest(new SfError(exception.ErrorCode, Describe(soql, exception)));
        }
    }

    /// <summary>GET /query/{locator}-{offset}: the next page of an earlier query.</summary>
    public ApiResult QueryMore(SfCaller caller, string locatorAndOffset, int batchSize)
    {
        lock (_gate)
        {
            var dash = locatorAndOffset.LastIndexOf('-');
            if (dash < 0 || !int.TryParse(locatorAndOffset[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                || !_cursors.TryGetValue(locatorAndOffset[..dash], out var records))
                return ApiResult.BadRequest(new SfError("INVALID_QUERY_LOCATOR", "invalid query locator"));
            var page = records.Skip(offset).Take(batchSize).ToList();
            var body = new JsonObject { ["totalSize"] = records.Count, ["done"] = offset + batchSize >= records.Count };
            if (offset + batchSize < records.Count)
                body["nextRecordsUrl"] = $"/services/data/v{caller.ApiVersion}/query/{locatorAndOffset[..dash]}-{offset + batchSize}";
            body["records"] = new JsonArray(page.Select(r => (JsonNode)r.DeepClone()).ToArray());
            return ApiResult.Ok(body);
        }
    }

    /// <summary>Salesforce's MALFORMED_QUERY text: the query, a caret, "ERROR at Row:r:Column:c", the problem.</summary>
    private static string Describe(string soql, SoqlException exception)
    {
        var position = Math.Clamp(exception.Position, 0, soql.Length);
        var row = soql[..position].Count(c => c == '\n') + 1;
        var lineStart = soql.LastIndexOf('\n', Math.Max(0, position - 1)) + 1;
        if (position == 0)
            lineStart = 0;
        var lineEnd = soql.IndexOf('\n', position);
        var line = soql[lineStart..(lineEnd < 0 ? soql.Length : lineEnd)];
        var column = position - lineStart + 1;
        return $"\n{line}\n{new string(' ', column - 1)}^\nERROR at Row:{row}:Column:{column}\n{exception.Message}";
    }

    private sealed record QueryContext(Org Org, SfCaller Caller, DateOnly Today);

    private sealed record ResolvedPath(IReadOnlyList<FieldDef> Hops, FieldDef Field, SObjectType Owner);

    private (List<JsonObject> Records, int Total) Execute(QueryContext context, SObjectType type, SoqlQuery query, IEnumerable<SRecord> source)
    {
        var counting = query.Select.OfType<CountItem>().ToList();
        if (counting.Count > 0 && query.Select.Count > 1)
            throw new SoqlException("MALFORMED_QUERY", "COUNT() must be the only element in the SELECT list", counting[0].Position);

        var projections = new List<(ResolvedPath Path, int Position)>();
        var subqueries = new List<(ChildRelationship Relationship, SObjectType ChildType, SoqlQuery Query)>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in query.Select)
        {
            switch (item)
            {
                case FieldItem field:
                    var key = string.Join('.', field.Path);
                    if (!seen.Add(key))
                        throw new SoqlException("MALFORMED_QUERY", $"duplicate field selected: {key}", field.Position);
                    projections.Add((Resolve(type, field.Path, field.Position), field.Position));
                    break;
                case SubqueryItem sub:
                    var relationship = type.ChildRelationships.FirstOrDefault(r => string.Equals(r.RelationshipName, sub.Query.From, StringComparison.OrdinalIgnoreCase))
                        ?? throw new SoqlException("INVALID_TYPE", $"Didn't understand relationship '{sub.Query.From}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.", sub.Query.FromPosition);
                    subqueries.Add((relationship, Schema.Resolve(relationship.ChildSObject)!, sub.Query));
                    break;
            }
        }

        var filter = query.Where is null ? (_ => true) : Compile(context, type, query.Where);
        var order = query.OrderBy.Select(o => (Path: Resolve(type, o.Path, o.Position), o.Descending, o.NullsLast)).ToList();
        var matches = source.Where(r => !r.IsDeleted && filter(r)).ToList();
        matches.Sort((a, b) =>
        {
            foreach (var (path, descending, nullsLast) in order)
            {
                var left = Value(context, a, path);
                var right = Value(context, b, path);
                int result;
                if (left is null || right is null)
                    result = left is null && right is null ? 0 : (left is null ? (nullsLast ? 1 : -1) : (nullsLast ? -1 : 1));
                else
                    result = (descending ? -1 : 1) * CompareValues(path.Field, left, right);
                if (result != 0)
                    return result;
            }
            return string.CompareOrdinal(a.Id, b.Id);
        });
        var total = matches.Count;
        IEnumerable<SRecord> window = matches;
        if (query.Offset is { } offset)
            window = window.Skip(offset);
        if (query.Limit is { } limit)
            window = window.Take(limit);
        var selected = window.ToList();
        if (counting.Count > 0)
            return ([], total);
        if (query.Limit is not null || query.Offset is not null)
            total = selected.Count;

        var results = new List<JsonObject>();
        foreach (var record in selected)
        {
            var body = new JsonObject { ["attributes"] = Attributes(context.Caller, type, record.Id) };
            foreach (var (path, _) in projections)
                Project(context, body, record, path.Hops, path.Field);
            foreach (var (relationship, childType, subquery) in subqueries)
            {
                var children = context.Org.Records[childType.Name].Values.Where(c => c.GetString(relationship.Field) == record.Id);
                var (childRecords, childTotal) = Execute(context, childType, subquery, children);
                body[relationship.RelationshipName] = childRecords.Count == 0
                    ? null
                    : new JsonObject
                    {
                        ["totalSize"] = childTotal,
                        ["done"] = true,
                        ["records"] = new JsonArray(childRecords.Select(c => (JsonNode)c).ToArray()),
                    };
            }
            results.Add(body);
        }
        return (results, total);
    }

    private static ResolvedPath Resolve(SObjectType type, IReadOnlyList<string> path, int position)
    {
        var hops = new List<FieldDef>();
        var current = type;
        for (var i = 0; i < path.Count - 1; i++)
        {
            var hop = current.Relationship(path[i])
                ?? throw new SoqlException("INVALID_FIELD", $"Didn't understand relationship '{path[i]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.", position);
            hops.Add(hop);
            current = Schema.Resolve(hop.ReferenceTo!)!;
        }
        var field = current.Field(path[^1])
            ?? throw new SoqlException("INVALID_FIELD", $"No such column '{path[^1]}' on entity '{current.Name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.", position);
        return new ResolvedPath(hops, field, current);
    }

    private static SRecord? Follow(QueryContext context, SRecord record, IReadOnlyList<FieldDef> hops)
    {
        var current = record;
        foreach (var hop in hops)
        {
            var id = current.GetString(hop.Name);
            if (id is null)
                return null;
            current = FindRecord(context.Org, Schema.Resolve(hop.ReferenceTo!)!, id);
            if (current is null)
                return null;
        }
        return current;
    }

    private static JsonNode? Value(QueryContext context, SRecord record, ResolvedPath path) =>
        Follow(context, record, path.Hops)?.Get(path.Field.Name);

    private static void Project(QueryContext context, JsonObject target, SRecord record, IReadOnlyList<FieldDef> hops, FieldDef field)
    {
        if (hops.Count == 0)
        {
            target[field.Name] = record.Get(field.Name)?.DeepClone();
            return;
        }
        var hop = hops[0];
        var relatedType = Schema.Resolve(hop.ReferenceTo!)!;
        var relatedId = record.GetString(hop.Name);
        var related = relatedId is null ? null : FindRecord(context.Org, relatedType, relatedId);
        if (related is null)
        {
            if (!target.ContainsKey(hop.RelationshipName!))
                target[hop.RelationshipName!] = null;
            return;
        }
        if (target[hop.RelationshipName!] is not JsonObject nested)
        {
            nested = new JsonObject { ["attributes"] = Attributes(context.Caller, relatedType, related.Id) };
            target[hop.RelationshipName!] = nested;
        }
        Project(context, nested, related, hops.Skip(1).ToList(), field);
    }

    private static int CompareValues(FieldDef field, JsonNode left, JsonNode right)
    {
        if (field.IsNumber)
            return Nullable.Compare(FieldValues.ToDecimal(left), FieldValues.ToDecimal(right));
        if (field.Type is "date" or "datetime")
            return Nullable.Compare(FieldValues.Instant(field, left), FieldValues.Instant(field, right));
        if (field.Type == "boolean")
            return left.GetValueKind().CompareTo(right.GetValueKind());
        return string.Compare(left.ToString(), right.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    // ---- WHERE ----

    private Func<SRecord, bool> Compile(QueryContext context, SObjectType type, Condition condition)
    {
        switch (condition)
        {
            case AndCondition and:
                var left = Compile(context, type, and.Left);
                var right = Compile(context, type, and.Right);
                return r => left(r) && right(r);
            case OrCondition or:
                var first = Compile(context, type, or.Left);
                var second = Compile(context, type, or.Right);
                return r => first(r) || second(r);
            case NotCondition not:
                var inner = Compile(context, type, not.Inner);
                return r => !inner(r);
            case Comparison comparison:
            {
                var path = Resolve(type, comparison.Path, comparison.Position);
                var test = CompileTest(context, path.Field, comparison.Operator, comparison.Value);
                return r => test(Value(context, r, path));
            }
            case InCondition @in:
            {
                var path = Resolve(type, @in.Path, @in.Position);
                var tests = @in.Values.Select(v => CompileTest(context, path.Field, "=", v)).ToList();
                return @in.Negated
                    ? r => { var v = Value(context, r, path); return v is not null && !tests.Any(t => t(v)); }
                    : r => { var v = Value(context, r, path); return tests.Any(t => t(v)); };
            }
            default:
                throw new SoqlException("MALFORMED_QUERY", "unsupported condition", 0);
        }
    }

    /// <summary>Checks the literal against the field's type (as Salesforce does) and returns the test of one value; != also matches null.</summary>
    private static Func<JsonNode?, bool> CompileTest(QueryContext context, FieldDef field, string op, SoqlValue literal)
    {
        var test = CompileTypedTest(context, field, op, literal);
        return op == "!=" && literal.Kind != ValueKind.Null ? v => v is null || test(v) : test;
    }

    private static Func<JsonNode?, bool> CompileTypedTest(QueryContext context, FieldDef field, string op, SoqlValue literal)
    {
        if (literal.Kind == ValueKind.Null)
        {
            return op switch
            {
                "=" => v => v is null,
                "!=" => v => v is not null,
                _ => throw new SoqlException("MALFORMED_QUERY", $"invalid operator on null: {op}", literal.Position),
            };
        }
        string TypeName() => field.Type switch { "datetime" => "dateTime", "currency" or "percent" or "int" => "double", var t => t };
        SoqlException Mismatch(bool quoted) => new("INVALID_FIELD",
            $"value of filter criterion for field '{field.Name}' must be of type {TypeName()} and {(quoted ? "should be enclosed in quotes" : "should not be enclosed in quotes")}", literal.Position);

        if (op == "LIKE")
        {
            if (field.IsNumber || field.Type is "boolean" or "date" or "datetime")
                throw new SoqlException("INVALID_FIELD", $"invalid operator on {TypeName()} field: LIKE", literal.Position);
            if (literal.Kind != ValueKind.String)
                throw Mismatch(quoted: true);
            var pattern = "^" + Regex.Escape(literal.Text).Replace("%", ".*", StringComparison.Ordinal).Replace("_", ".", StringComparison.Ordinal) + "$";
            var regex = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.Singleline);
            return v => v is not null && regex.IsMatch(v.ToString());
        }

        switch (field.Type)
        {
            case "date" or "datetime":
            {
                if (literal.Kind is ValueKind.String or ValueKind.Number or ValueKind.Boolean)
                    throw Mismatch(quoted: false);
                var (start, end) = Range(context, literal);
                return v =>
                {
                    if (FieldValues.Instant(field, v) is not { } instant)
                        return false;
                    return op switch
                    {
                        "=" => instant >= start && instant < end,
                        "!=" => instant < start || instant >= end,
                        "<" => instant < start,
                        "<=" => instant < end,
                        ">" => instant >= end,
                        ">=" => instant >= start,
                        _ => false,
                    };
                };
            }
            case "boolean":
            {
                if (literal.Kind != ValueKind.Boolean)
                    throw Mismatch(quoted: false);
                if (op is not ("=" or "!="))
                    throw new SoqlException("INVALID_FIELD", $"invalid operator on boolean field: {op}", literal.Position);
                var expected = literal.Text == "true";
                return v => v is JsonValue b && (b.GetValueKind() == JsonValueKind.True) == expected ? op == "=" : op == "!=" && v is not null;
            }
            case "currency" or "double" or "percent" or "int":
            {
                if (literal.Kind != ValueKind.Number)
                    throw Mismatch(quoted: false);
                var expected = decimal.Parse(literal.Text, NumberStyles.Float, CultureInfo.InvariantCulture);
                return v => FieldValues.ToDecimal(v) is { } n && Ordered(op, n.CompareTo(expected));
            }
            case "id" or "reference":
            {
                if (literal.Kind != ValueKind.String)
                    throw Mismatch(quoted: true);
                var expected = SalesforceId.Normalize(literal.Text)
                    ?? throw new SoqlException("INVALID_QUERY_FILTER_OPERATOR", $"invalid ID field: {literal.Text}", literal.Position);
                return v => v is not null && Ordered(op, string.CompareOrdinal(v.ToString(), expected));
            }
            default:
            {
                if (literal.Kind != ValueKind.String)
                    throw Mismatch(quoted: true);
                return v => op == "!=" ? !string.Equals(v?.ToString(), literal.Text, StringComparison.OrdinalIgnoreCase)
                    : v is not null && Ordered(op, string.Compare(v.ToString(), literal.Text, StringComparison.OrdinalIgnoreCase));
            }
        }
    }

    private static bool Ordered(string op, int comparison) => op switch
    {
        "=" => comparison == 0,
        "!=" => comparison != 0,
        "<" => comparison < 0,
        "<=" => comparison <= 0,
        ">" => comparison > 0,
        ">=" => comparison >= 0,
        _ => false,
    };

    /// <summary>The half-open instant range a date, datetime or date literal (TODAY, LAST_N_DAYS:n …) stands for, in UTC.</summary>
    private static (DateTimeOffset Start, DateTimeOffset End) Range(QueryContext context, SoqlValue literal)
    {
        static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var today = context.Today;
        var month = new DateOnly(today.Year, today.Month, 1);
        var year = new DateOnly(today.Year, 1, 1);
        switch (literal.Kind)
        {
            case ValueKind.Date:
                var day = DateOnly.ParseExact(literal.Text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                return (Midnight(day), Midnight(day.AddDays(1)));
            case ValueKind.DateTime:
                var instant = DateTimeOffset.Parse(literal.Text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                return (instant, instant.AddMilliseconds(1));
            default:
                return literal.Text switch
                {
                    "TODAY" => (Midnight(today), Midnight(today.AddDays(1))),
                    "YESTERDAY" => (Midnight(today.AddDays(-1)), Midnight(today)),
                    "TOMORROW" => (Midnight(today.AddDays(1)), Midnight(today.AddDays(2))),
                    "THIS_MONTH" => (Midnight(month), Midnight(month.AddMonths(1))),
                    "LAST_MONTH" => (Midnight(month.AddMonths(-1)), Midnight(month)),
                    "NEXT_MONTH" => (Midnight(month.AddMonths(1)), Midnight(month.AddMonths(2))),
                    "THIS_YEAR" => (Midnight(year), Midnight(year.AddYears(1))),
                    "LAST_YEAR" => (Midnight(year.AddYears(-1)), Midnight(year)),
                    "NEXT_YEAR" => (Midnight(year.AddYears(1)), Midnight(year.AddYears(2))),
                    "LAST_N_DAYS" => (Midnight(today.AddDays(-literal.N)), Midnight(today.AddDays(1))),
                    "NEXT_N_DAYS" => (Midnight(today.AddDays(1)), Midnight(today.AddDays(1 + literal.N))),
                    _ => throw new SoqlException("MALFORMED_QUERY", $"unexpected token: {literal.Text}", literal.Position),
                };
        }
    }
}
