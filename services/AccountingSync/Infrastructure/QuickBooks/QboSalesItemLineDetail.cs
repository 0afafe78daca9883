using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public sealed record QboSalesItemLineDetail
{
    public QboRef? ItemRef { get; init; }
    public decimal? Qty { get; init; }
    public decimal? UnitPrice { get; init; }
    public QboRef? TaxCodeRef { get; init; }
    public QboRef? ClassRef { get; init; }
    public DateOnly? ServiceDate { get; init; }
}
