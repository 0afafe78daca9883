using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public sealed record QboTaxCode : QboEntity
{
    public string? Name { get; init; }
    public bool? Taxable { get; init; }
    public bool? Active { get; init; }
}
