using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

/// <summary>One item of a batch request: an operation on an entity, or a query.</summary>
public sealed record QboBatchItem(string BatchId, string Operation, QboEntity? Entity, string? Query = null);
