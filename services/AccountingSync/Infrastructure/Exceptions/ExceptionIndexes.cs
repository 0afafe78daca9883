using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.Exceptions;

/// <summary>
/// The exception queue's indexes, made at start. Resolved and ignored records stay, and every success (two per posted
/// invoice) asks for the open records of its entity: without the index that question reads every record ever raised.
/// </summary>
public sealed class ExceptionIndexes(IDocumentStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var records = store.Collection<SyncExceptionRecord>(SyncExceptionRecord.CollectionName);
        await records.EnsureIndexAsync("entity", r => r.EntityId, cancellationToken: cancellationToken);
        await records.EnsureIndexAsync("status", r => r.Status, cancellationToken: cancellationToken);
        await records.EnsureIndexAsync("tenant", r => r.TenantId, cancellationToken: cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
