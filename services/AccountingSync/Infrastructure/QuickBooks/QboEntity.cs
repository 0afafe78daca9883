using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

// System.Text.Json models of the QuickBooks Online entities the platform uses, one file each. Property names are
// QBO's (PascalCase); unknown fields land in Extra and are sent back unchanged, so a newer QBO field is never lost.

/// <summary>What every entity carries.</summary>
public abstract record QboEntity
{
    public string? Id { get; init; }
    public string? SyncToken { get; init; }
    public QboMetaData? MetaData { get; init; }
    [JsonPropertyName("sparse")] public bool? Sparse { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}
