using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

/// <summary>One item of a batch response: the entity JSON, or a fault.</summary>
public sealed record QboBatchResult(string BatchId, JsonElement? Entity, Domain.QboException? Fault);
