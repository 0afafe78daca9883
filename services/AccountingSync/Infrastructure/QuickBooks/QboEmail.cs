using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public sealed record QboEmail
{
    public string? Address { get; init; }
}
