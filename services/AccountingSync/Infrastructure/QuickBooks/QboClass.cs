using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public sealed record QboClass : QboEntity
{
    public string? Name { get; init; }
    public string? FullyQualifiedName { get; init; }
    public bool? Active { get; init; }
}
