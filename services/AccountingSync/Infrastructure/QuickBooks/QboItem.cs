using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public sealed record QboItem : QboEntity
{
    public string? Name { get; init; }
    public string? Sku { get; init; }
    public string? Type { get; init; }
    public string? Description { get; init; }
    public decimal? UnitPrice { get; init; }
    public QboRef? IncomeAccountRef { get; init; }
    public QboRef? ClassRef { get; init; }
    public bool? Taxable { get; init; }
    public bool? Active { get; init; }
}
