using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public sealed record QboTerm : QboEntity
{
    public string? Name { get; init; }
    public string? Type { get; init; }
    public int? DueDays { get; init; }
    public bool? Active { get; init; }
}
