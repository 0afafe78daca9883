using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.Outbound;

/// <summary>
/// The outbound queue's indexes, made at start: every posting of an awaited invoice asks for what waits for it, and a
/// reconnection or the queue's API for the tenant's held operations.
/// </summary>
public sealed class OutboundIndexes(IDocumentStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var held = store.Collection<OutboundHold>(OutboundHold.CollectionName);
        await held.EnsureIndexAsync("waits-for", h => h.WaitsFor, cancellationToken: cancellationToken);
        await held.EnsureIndexAsync("tenant", h => h.TenantId, cancellationToken: cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
