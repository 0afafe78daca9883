using System.Globalization;
using System.Text.Json;

namespace QuoteToCash.CrmIngest.Domain;

/// <summary>
/// One Salesforce record as SOQL returns it: scalar fields (numbers and booleans in invariant text), parent
/// records reached through relationship fields (e.g. "Account") and child relationship rows (e.g. "OpportunityLineItems").
/// </summary>
public sealed record SalesforceRecord(
    string? Id,
    string? Type,
    IReadOnlyDictionary<string, string?> Fields,
    IReadOnlyDictionary<string, SalesforceRecord?> Parents,
    IReadOnlyDictionary<string, IReadOnlyList<SalesforceRecord>> Children)
{
    /// <summary>A field by API name, or a relationship path ("Account.Name", "Owner.Email"); case-insensitive.</summary>
    public string? this[string path]
    {
        get
        {
            var dot = path.IndexOf('.');
            if (dot < 0)
                return Fields.TryGetValue(path, out var value) ? value : Lookup(Fields, path);
            var parent = Parent(path[..dot]);
            return parent?[path[(dot + 1)..]];
        }
    }

    public SalesforceRecord? Parent(string relationship) =>
        Parents.TryGetValue(relationship, out var parent) ? parent
        : Parents.FirstOrDefault(p => string.Equals(p.Key, relationship, StringComparison.OrdinalIgnoreCase)).Value;

    public IReadOnlyList<SalesforceRecord> Related(string relationship) =>
        Children.TryGetValue(relationship, out var rows) ? rows
        : Children.FirstOrDefault(c => string.Equals(c.Key, relationship, StringComparison.OrdinalIgnoreCase)).Value ?? [];

    public static SalesforceRecord Create(string? id, IReadOnlyDictionary<string, string?> fields,
        IReadOnlyDictionary<string, SalesforceRecord?>? parents = null, IReadOnlyDictionary<string, IReadOnlyList<SalesforceRecord>>? children = null, string? type = null) =>
        new(id ?? fields.GetValueOrDefault("Id"), type, fields, parents ?? new Dictionary<string, SalesforceRecord?>(), children ?? new Dictionary<string, IReadOnlyList<SalesforceRecord>>());

    private static string? Lookup(IReadOnlyDictionary<string, string?> fields, string name) =>
        fields.FirstOrDefault(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Reads a SOQL record; child relationship results are taken as they are (their further pages are the client's job).</summary>
    public static SalesforceRecord Parse(JsonElement json)
    {
        var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var parents = new Dictionary<string, SalesforceRecord?>(StringComparer.OrdinalIgnoreCase);
        var children = new Dictionary<string, IReadOnlyList<SalesforceRecord>>(StringComparer.OrdinalIgnoreCase);
        string? type = null;
        string? id = null;
        foreach (var property in json.EnumerateObject())
        {
            if (property.Name == "attributes")
            {
                if (property.Value.ValueKind == JsonValueKind.Object)
                {
                    type = property.Value.TryGetProperty("type", out var t) ? t.GetString() : null;
                    if (property.Value.TryGetProperty("url", out var url) && url.GetString() is { } u)
                        id = u[(u.LastIndexOf('/') + 1)..];
                }
                continue;
            }
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Object when value.TryGetProperty("records", out var records) && records.ValueKind == JsonValueKind.Array:
                    children[property.Name] = records.EnumerateArray().Select(Parse).ToList();
                    break;
                case JsonValueKind.Object:
                    parents[property.Name] = Parse(value);
                    break;
                case JsonValueKind.Null:
                    fields[property.Name] = null;
                    parents.TryAdd(property.Name, null);
                    break;
                case JsonValueKind.String:
                    fields[property.Name] = value.GetString();
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    fields[property.Name] = value.GetBoolean() ? "true" : "false";
                    break;
                case JsonValueKind.Number:
                    fields[property.Name] = value.TryGetDecimal(out var d) ? d.ToString(CultureInfo.InvariantCulture) : value.GetRawText();
                    break;
                default:
                    fields[property.Name] = value.GetRawText();
                    break;
            }
        }
        if (fields.TryGetValue("Id", out var idField) && idField is not null)
            id = idField;
        return new SalesforceRecord(id, type, fields, parents, children);
    }
}
