using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

/// <summary>A change reported by the CDC endpoint: the entity's JSON, or only its ID when deleted.</summary>
public sealed record QboChange(string Entity, string Id, bool Deleted, DateTimeOffset? LastUpdated, JsonElement Payload);
