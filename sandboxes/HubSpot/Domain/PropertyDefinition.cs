namespace QuoteToCash.Sandbox.HubSpot.Domain;

public sealed class PropertyOption
{
    public string Label { get; set; } = "";
    public string Value { get; set; } = "";
    public string? Description { get; set; }
    public int DisplayOrder { get; set; }
    public bool Hidden { get; set; }
}

/// <summary>A property definition as the properties API returns it.</summary>
public sealed class PropertyDefinition
{
    public string Name { get; set; } = "";
    public string Label { get; set; } = "";
    /// <summary>string, number, date, datetime, enumeration or bool.</summary>
    public string Type { get; set; } = "string";
    public string FieldType { get; set; } = "text";
    public string GroupName { get; set; } = "";
    public string Description { get; set; } = "";
    public List<PropertyOption> Options { get; set; } = [];
    public int DisplayOrder { get; set; } = -1;
    public bool Calculated { get; set; }
    public bool ReadOnlyValue { get; set; }
    public bool HasUniqueValue { get; set; }
    public bool Hidden { get; set; }
    public bool HubspotDefined { get; set; }
    public bool FormField { get; set; }
    public bool ExternalOptions { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public bool Archived { get; set; }
    public DateTimeOffset? ArchivedAt { get; set; }

    public static readonly IReadOnlySet<string> Types = new HashSet<string> { "string", "number", "date", "datetime", "enumeration", "bool" };

    public static readonly IReadOnlySet<string> FieldTypes = new HashSet<string>
    {
        "textarea", "text", "date", "file", "number", "select", "radio", "checkbox", "booleancheckbox", "calculation_equation", "html", "phonenumber",
    };
}

public sealed class PropertyGroup
{
    public string Name { get; set; } = "";
    public string Label { get; set; } = "";
    public int DisplayOrder { get; set; } = -1;
    public bool Archived { get; set; }
}
