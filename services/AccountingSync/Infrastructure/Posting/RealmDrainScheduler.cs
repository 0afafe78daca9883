using System.Collections.Concurrent;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.Posting;

/// <summary>
/// The per-realm drain loop the outbound queues share: on every pass (a signal or the poll interval) it starts one drain
/// per tenant with queued work, never two at once for the same tenant, so each realm's work goes in order while realms
/// run side by side. A realm whose QuickBooks authorisation expired or was revoked is paused: its queued work stays
/// queued and untouched (QuickBooks is not asked again and again) until the connection is made again, when the next pass
/// drains it. Across replicas a realm is drained only by the holder of its lease (<see cref="RealmOwnership"/>); a drain
/// whose replica lost the lease is cancelled, and its work goes on at the new owner. One instance per queue (transient).
/// </summary>
public sealed class RealmDrainScheduler(IDocumentStore store, RealmOwnership ownership, ILogger<RealmDrainScheduler> logger)
{
    private readonly ConcurrentDictionary<string, Drain> _draining = new();

    private sealed record Drain(Task Task, CancellationTokenSource Cancel, string? RealmId);
    private readonly ConcurrentDictionary<string, bool> _paused = new();

    /// <param name="queue">What is drained, for the log ("invoices", "adjustments").</param>
    /// <param name="tenantsWithWork">The tenants with something queued now.</param>
    /// <param name="drain">Drains one tenant's queue; it is not started again for the tenant while it runs.</param>
    /// <param name="waitForWork">Waits for the next pass: a signal or the poll interval.</param>
    public async Task RunAsync(string queue, Func<CancellationToken, Task<IEnumerable<string>>> tenantsWithWork, Func<string, CancellationToken, Task> drain,
        Func<CancellationToken, Task> waitForWork, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PassAsync(queue, tenantsWithWork, drain, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "The {Queue} posting pass failed", queue);
            }
            try
            {
                await waitForWork(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await Task.WhenAll(_draining.Values.Select(d => d.Task)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>One pass: starts the drains of the tenants with work that are neither draining, paused nor owned by another replica. Returns how many started.</summary>
    public async Task<int> PassAsync(string queue, Func<CancellationToken, Task<IEnumerable<string>>> tenantsWithWork, Func<string, CancellationToken, Task> drain,
        CancellationToken cancellationToken)
    {
        // A long drain keeps its realm's lease alive; one whose lease went to another replica stops.
        foreach (var (tenant, running) in _draining)
        {
            if (!running.Task.IsCompleted && running.RealmId is { } realmId && !await ownership.EnsureOwnedAsync(tenant, realmId, cancellationToken))
            {
                logger.LogWarning("The {Queue} queue of tenant {Tenant} stops here: another replica holds its realm now", queue, tenant);
                await running.Cancel.CancelAsync();
            }
        }
        var started = 0;
        foreach (var tenant in (await tenantsWithWork(cancellationToken)).Distinct())
        {
            if (_draining.TryGetValue(tenant, out var running) && !running.Task.IsCompleted)
                continue;
            var connection = (await store.Collection<QboConnection>(QboConnection.CollectionName).GetAsync(tenant, cancellationToken))?.Value;
            if (connection?.Status == QboConnectionStatus.NeedsReauthorization)
            {
                if (_paused.TryAdd(tenant, true))
                    logger.LogWarning("The {Queue} queue of tenant {Tenant} is paused until QuickBooks is reconnected; nothing queued is lost", queue, tenant);
                continue;
            }
            if (_paused.TryRemove(tenant, out _))
                logger.LogInformation("The {Queue} queue of tenant {Tenant} resumes: QuickBooks is connected again", queue, tenant);
            // A tenant without a connection has no realm to share: its drain only answers "not connected".
            if (connection is not null && !await ownership.EnsureOwnedAsync(tenant, connection.RealmId, cancellationToken))
                continue;
            running?.Cancel.Dispose();
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _draining[tenant] = new Drain(Task.Run(() => drain(tenant, cancel.Token), cancel.Token), cancel, connection?.RealmId);
            started++;
        }
        return started;
    }
}
