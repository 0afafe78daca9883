using System.Text.Json.Nodes;

namespace QuoteToCash.Sandbox.Salesforce.Domain;

/// <summary>Everything the sandbox knows; serialised whole to the optional data file.</summary>
public sealed class SalesforceState
{
    public long NextOrgNumber { get; set; } = 1;
    public List<Org> Orgs { get; set; } = [];

    /// <summary>Custom fields declared through the Tooling API (sandbox-wide), so a restart keeps them.</summary>
    public List<DeclaredField> CustomFields { get; set; } = [];
}

public sealed class DeclaredField
{
    public string ObjectName { get; set; } = "";
    public FieldDef Field { get; set; } = null!;
}

public sealed class Org
{
    public string OrgId { get; set; } = "";
    public string Name { get; set; } = "";
    public string InstanceUrl { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public List<SandboxUser> Users { get; set; } = [];
    /// <summary>Records by sObject name and 18-character id.</summary>
    public Dictionary<string, Dictionary<string, SRecord>> Records { get; set; } = [];
    /// <summary>Next sequence number per key prefix.</summary>
    public Dictionary<string, long> Sequences { get; set; } = [];
    public List<OutboundMessageRule> OutboundMessages { get; set; } = [];
    public ChangeEventSettings? ChangeEvents { get; set; }
    public long NextReplayId { get; set; } = 1000;
    public long NextCommitNumber { get; set; } = 1;
}

public sealed class SandboxUser
{
    public string UserId { get; set; } = "";
    public string Name { get; set; } = "";
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";
    public bool IntegrationUser { get; set; }
    /// <summary>Each user has its own connected app, so client_credentials runs as that user.</summary>
    public string ClientId { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public string RefreshToken { get; set; } = "";
    public List<string> AccessTokens { get; set; } = [];
}

public sealed class SRecord
{
    public string Id { get; set; } = "";
    public string Type { get; set; } = "";
    /// <summary>Field values by canonical field name, stored in their JSON wire form.</summary>
    public Dictionary<string, JsonNode?> Fields { get; set; } = [];
    public bool IsDeleted { get; set; }

    public JsonNode? Get(string field) => Fields.TryGetValue(field, out var value) ? value : null;

    public string? GetString(string field) => Get(field)?.ToString();

    public bool GetBool(string field) => Get(field) is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.True;

    public decimal? GetDecimal(string field) => FieldValues.ToDecimal(Get(field));
}

/// <summary>An Outbound Message bound to the rule "an Opportunity became won".</summary>
public sealed class OutboundMessageRule
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string EndpointUrl { get; set; } = "";
    public string SObject { get; set; } = "Opportunity";
    public List<string> Fields { get; set; } = [];
}

public sealed class ChangeEventSettings
{
    public string EndpointUrl { get; set; } = "";
    public List<string> Entities { get; set; } = ["Opportunity", "Account"];
}
