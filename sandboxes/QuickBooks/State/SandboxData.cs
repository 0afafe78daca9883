using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.Domain;

namespace QuoteToCash.Sandbox.QuickBooks.State;

/// <summary>Everything the sandbox remembers; this is what the data file holds.</summary>
public sealed class SandboxData
{
    public Dictionary<string, Realm> Realms { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, SandboxApp> Apps { get; set; } = new(StringComparer.Ordinal);

    public List<Connection> Connections { get; set; } = [];

    public Dictionary<string, AuthorizationCode> AuthorizationCodes { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, IssuedToken> AccessTokens { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, IssuedToken> RefreshTokens { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One QBO company.</summary>
public sealed class Realm
{
    public required string Id { get; set; }

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Entity name → Id → stored entity (exactly what a read returns).</summary>
    public Dictionary<string, Dictionary<string, JsonObject>> Entities { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Next Id per sequence ("Transaction", "Customer", …) and next DocNumber per sales form ("DocNumber:Invoice").</summary>
    public Dictionary<string, long> Sequences { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Deleted transactions, for CDC.</summary>
    public List<Tombstone> Tombstones { get; set; } = [];

    /// <summary>Every e-mail QuickBooks sent for the realm (invoice sends), oldest first.</summary>
    public List<SentEmail> SentEmails { get; set; } = [];

    public Dictionary<string, JsonObject> Table(EntityKind kind)
    {
        if (!Entities.TryGetValue(kind.Name, out var table))
            Entities[kind.Name] = table = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        return table;
    }

    public JsonObject? Find(EntityKind kind, string? id)
        => id is not null && Entities.TryGetValue(kind.Name, out var table) && table.TryGetValue(id, out var entity) ? entity : null;

    public string NextId(EntityKind kind) => Next(kind.Sequence).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public long Next(string sequence)
    {
        var next = Sequences.GetValueOrDefault(sequence, 1);
        Sequences[sequence] = next + 1;
        return next;
    }

    public long Peek(string sequence, long start) => Sequences.GetValueOrDefault(sequence, start);
}

public sealed record Tombstone(string Entity, string Id, DateTimeOffset DeletedAt);

/// <summary>One e-mail sent by the company: which transaction, its number, to whom and when.</summary>
public sealed record SentEmail(string Entity, string Id, string? DocNumber, string To, DateTimeOffset SentAt);

/// <summary>A developer app: OAuth client plus webhook settings.</summary>
public sealed class SandboxApp
{
    public required string ClientId { get; set; }

    public required string ClientSecret { get; set; }

    public required string VerifierToken { get; set; }

    public required string Name { get; set; }

    public string? WebhookUrl { get; set; }

    public string WebhookFormat { get; set; } = WebhookFormats.Legacy;
}

public static class WebhookFormats
{
    public const string Legacy = "legacy";
    public const string CloudEvents = "cloudevents";

    public static string? Normalize(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        null or "" or "legacy" => Legacy,
        "cloudevents" => CloudEvents,
        _ => null,
    };
}

/// <summary>An app the user connected to a realm (consent given).</summary>
public sealed class Connection
{
    public required string RealmId { get; set; }

    public required string ClientId { get; set; }

    public string? RedirectUri { get; set; }

    public DateTimeOffset ConnectedAt { get; set; }
}

public sealed class AuthorizationCode
{
    public required string ClientId { get; set; }

    public required string RealmId { get; set; }

    public string? RedirectUri { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public bool Used { get; set; }
}

public sealed class IssuedToken
{
    public required string ClientId { get; set; }

    public required string RealmId { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>A refresh token that has been exchanged once; using it again is invalid_grant.</summary>
    public bool Superseded { get; set; }

    public bool Revoked { get; set; }
}
