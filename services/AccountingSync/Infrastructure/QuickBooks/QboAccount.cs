using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public sealed record QboAccount : QboEntity
{
    public string? Name { get; init; }
    public string? AccountType { get; init; }
    public string? AccountSubType { get; init; }
    public string? Classification { get; init; }
    public bool? Active { get; init; }
}
