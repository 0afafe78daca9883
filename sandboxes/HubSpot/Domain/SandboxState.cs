namespace QuoteToCash.Sandbox.HubSpot.Domain;

/// <summary>Everything the sandbox knows; serialised whole to the optional data file.</summary>
public sealed class SandboxState
{
    public long NextPortalId { get; set; } = 146_000_001;
    public long NextAppId { get; set; } = 3_100_001;
    public long NextSubscriptionId { get; set; } = 2_400_001;
    public long NextEventId { get; set; } = 1_000_000_001;
    public long NextPipelineNumber { get; set; } = 75_400_001;
    public long NextStageNumber { get; set; } = 1_233_582_100;
    public List<Portal> Portals { get; set; } = [];
}

public sealed class Portal
{
    public long PortalId { get; set; }
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public List<App> Apps { get; set; } = [];
    /// <summary>Objects by type name ("deals") and id.</summary>
    public Dictionary<string, Dictionary<string, CrmObject>> Objects { get; set; } = [];
    public Dictionary<string, long> NextObjectIds { get; set; } = [];
    public List<AssociationLink> Associations { get; set; } = [];
    public Dictionary<string, List<PropertyDefinition>> Properties { get; set; } = [];
    public Dictionary<string, List<PropertyGroup>> PropertyGroups { get; set; } = [];
    public List<Pipeline> DealPipelines { get; set; } = [];
}

/// <summary>A public app (webhook target, subscriptions, client secret) or a private app used only for its token.</summary>
public sealed class App
{
    public long AppId { get; set; }
    public string Name { get; set; } = "";
    public string ClientSecret { get; set; } = "";
    public string AccessToken { get; set; } = "";
    public string? TargetUrl { get; set; }
    /// <summary>True for tokens made through /_sandbox/portals/{id}/tokens (scripts), false for apps.</summary>
    public bool TokenOnly { get; set; }
    public List<Subscription> Subscriptions { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Subscription
{
    public long Id { get; set; }
    /// <summary>e.g. "deal.propertyChange".</summary>
    public string EventType { get; set; } = "";
    public string? PropertyName { get; set; }
    public bool Active { get; set; } = true;

    /// <summary>The compact form used by the control API: "deal.propertyChange:dealstage".</summary>
    public string Spec => PropertyName is null ? EventType : $"{EventType}:{PropertyName}";

    public string ObjectSingular => EventType[..EventType.IndexOf('.', StringComparison.Ordinal)];

    public string Action => EventType[(EventType.IndexOf('.', StringComparison.Ordinal) + 1)..];
}

public sealed class CrmObject
{
    public string Id { get; set; } = "";
    public Dictionary<string, string?> Properties { get; set; } = [];
    public Dictionary<string, List<PropertyVersion>> History { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public bool Archived { get; set; }
    public DateTimeOffset? ArchivedAt { get; set; }

    public string? Get(string name) => Properties.TryGetValue(name, out var value) ? value : null;
}

public sealed class PropertyVersion
{
    public string Value { get; set; } = "";
    public DateTimeOffset Timestamp { get; set; }
    public string SourceType { get; set; } = "";
    public string? SourceId { get; set; }
}

/// <summary>One direction of an association between two objects, with every type id that applies.</summary>
public sealed class AssociationLink
{
    public string FromType { get; set; } = "";
    public string FromId { get; set; } = "";
    public string ToType { get; set; } = "";
    public string ToId { get; set; } = "";
    public List<int> TypeIds { get; set; } = [];
}
