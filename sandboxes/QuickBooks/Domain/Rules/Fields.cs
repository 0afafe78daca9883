using System.Globalization;
using System.Text.Json.Nodes;

namespace QuoteToCash.Sandbox.QuickBooks.Domain.Rules;

/// <summary>Field-level checks shared by the entity rules.</summary>
public static class Fields
{
    /// <summary>Properties the server owns; whatever a client sends for them is ignored.</summary>
    public static readonly string[] SystemProperties = ["Id", "SyncToken", "MetaData", "domain", "sparse", "status"];

    public static void Strip(JsonObject entity, params string[] names)
    {
        foreach (var name in names)
            entity.RemoveAny(name);
    }

    /// <summary>
    /// Resolves a reference to another entity and fills in its name, as QBO does.
    /// Unknown Id: 2500 Invalid Reference Id. Inactive target: 610 Object Not Found.
    /// </summary>
    public static JsonObject? Reference(Operation op, JsonObject owner, string property, EntityKind target, string element, bool required = false, bool withName = true)
    {
        var node = owner.Get(property);
        if (node is null)
        {
            if (required)
                throw Faults.RequiredParameterMissing(element);
            owner.RemoveAny(property);
            return null;
        }
        if (node is not JsonObject reference)
            throw Faults.InvalidProperty(element);
        var id = Json.Text(reference.Get("value"))?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            if (required)
                throw Faults.RequiredParameterMissing(element);
            throw Faults.InvalidReference(element);
        }
        var entity = op.Find(target, id) ?? throw Faults.InvalidReference(element);
        if (entity.Bool("Active") == false)
            throw Faults.InactiveReference(element);
        owner.Set(property, Json.Ref(id, withName ? NameOf(target, entity) : null));
        return entity;
    }

    public static string? NameOf(EntityKind kind, JsonObject entity)
        => kind == EntityKind.Customer
            ? entity.Text("DisplayName")
            : entity.Text("FullyQualifiedName") ?? entity.Text("Name") ?? entity.Text("DisplayName");

    public static string? TrimmedText(JsonObject entity, string property)
    {
        var text = entity.Text(property)?.Trim();
        if (text is null)
            return null;
        entity.Set(property, text);
        return text.Length == 0 ? null : text;
    }

    public static void MaxLength(JsonObject entity, string property, int max)
    {
        var text = entity.Text(property);
        if (text is not null && text.Length > max)
            throw Faults.StringLength(property, max, text.Length);
    }

    /// <summary>Name fields may not hold a colon (it separates levels in FullyQualifiedName), a tab or a new line.</summary>
    public static void NameCharacters(JsonObject entity, params string[] properties)
    {
        foreach (var property in properties)
        {
            var text = entity.Text(property);
            if (text is not null && text.IndexOfAny([':', '\t', '\n', '\r']) >= 0)
                throw Faults.BusinessValidation($"{property} cannot contain a colon (:), a tab or a new line.", property);
        }
    }

    public static void Default(JsonObject entity, string property, JsonNode value)
    {
        if (entity.Get(property) is null)
            entity.Set(property, value);
    }

    public static decimal? Amount(JsonObject owner, string property, string element)
    {
        var value = owner.Decimal(property, element);
        if (value is not null)
            owner.Set(property, Json.Number(value.Value));
        return value;
    }

    /// <summary>A yyyy-MM-dd date, defaulting to today in the company's time zone.</summary>
    public static DateOnly Date(Operation op, JsonObject entity, string property, bool defaultToday)
    {
        var text = entity.Text(property);
        if (text is null)
        {
            if (!defaultToday)
                return default;
            text = op.Clock.Today();
            entity.Set(property, text);
        }
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            throw Faults.InvalidProperty(property);
        return date;
    }

    public static void Enumeration(JsonObject entity, string property, string[] allowed, string? fallback)
    {
        var value = entity.Text(property);
        if (value is null)
        {
            if (fallback is not null)
                entity.Set(property, fallback);
            return;
        }
        var match = allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase))
            ?? throw Faults.InvalidEnumeration(property, value);
        entity.Set(property, match);
    }

    public static JsonObject UsDollar() => Json.Ref("USD", "United States Dollar");
}
