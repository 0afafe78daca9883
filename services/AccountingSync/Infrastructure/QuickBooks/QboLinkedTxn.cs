using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public sealed record QboLinkedTxn
{
    public string TxnId { get; init; } = string.Empty;
    public string TxnType { get; init; } = string.Empty;
}
