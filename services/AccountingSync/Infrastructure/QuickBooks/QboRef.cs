using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public sealed record QboRef
{
    [JsonPropertyName("value")] public string Value { get; init; } = string.Empty;
    [JsonPropertyName("name")] public string? Name { get; init; }

    public static QboRef To(string id, string? name = null) => new() { Value = id, Name = name };
}
