using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public sealed record QboMetaData
{
    public DateTimeOffset? CreateTime { get; init; }
    public DateTimeOffset? LastUpdatedTime { get; init; }
}
