namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

/// <summary>QuickBooks' MemoRef: the customer-visible message of a sales form, <c>{"value": "…"}</c>.</summary>
public sealed record QboMemoRef
{
    [System.Text.Json.Serialization.JsonPropertyName("value")] public string Value { get; init; } = string.Empty;

    public static QboMemoRef? Of(string? text) => string.IsNullOrEmpty(text) ? null : new QboMemoRef { Value = text };
}
