using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public sealed record QboCreditMemo : QboEntity
{
    public string? DocNumber { get; init; }
    public QboRef? CustomerRef { get; init; }
    public List<QboLine>? Line { get; init; }
    public decimal? TotalAmt { get; init; }
    public decimal? Balance { get; init; }
    public decimal? RemainingCredit { get; init; }
}
