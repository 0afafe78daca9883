using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public sealed record QboLine
{
    public string? Id { get; init; }
    public int? LineNum { get; init; }
    public string? Description { get; init; }
    public decimal? Amount { get; init; }
    public string? DetailType { get; init; }
    public QboSalesItemLineDetail? SalesItemLineDetail { get; init; }
    public List<QboLinkedTxn>? LinkedTxn { get; init; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}
