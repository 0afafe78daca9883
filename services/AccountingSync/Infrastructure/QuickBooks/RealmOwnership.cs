using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

/// <summary>A realm's lease: which accounting-sync replica sends the realm's work, until when, and the realm's recent requests for the next owner.</summary>
public sealed class RealmLease
{
    public const string CollectionName = "realm-leases";

    public string TenantId { get; set; } = string.Empty;
    public string RealmId { get; set; } = string.Empty;
    public string Owner { get; set; } = string.Empty;
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset Renewed { get; set; }
    /// <summary>The owner's requests to the realm still counting at <see cref="Renewed"/> (UTC ticks).</summary>
    public List<long> Requests { get; set; } = [];
    /// <summary>The owner's batch requests still counting at <see cref="Renewed"/> (UTC ticks).</summary>
    public List<long> Batches { get; set; } = [];
    public DateTimeOffset? PausedUntil { get; set; }
}

public sealed class RealmOwnershipOptions
{
    public const string Section = "QuickBooks:Ownership";

    /// <summary>How long a lease lasts without renewal: how long a dead replica's realms wait before another takes them over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// This replica's name in the leases; by default the host name, the process ID and a random part. The random part
    /// keeps replicas apart that share both (containers of one compose service have the service's host name and run as
    /// process 1), and makes a restarted process a new owner that waits for its predecessor's leases to expire.
    /// </summary>
    public string? ReplicaId { get; set; }
}

/// <summary>
/// One active owner per realm across accounting-sync's replicas (<see cref="RealmLeaseRules"/>): a replica drains a
/// realm's outbound queues only while it holds the realm's lease in the shared store. The lease is written with its
/// version, so two replicas cannot both take it; the owner renews it while it has work, and writes the rate governor's
/// recent history of the realm into it, which the next owner takes over (<see cref="RateGovernor.Absorb"/>): a replica
/// that dies mid-minute does not hand on a fresh budget. A replica that stops hands its leases on at once. One per process.
/// </summary>
public sealed class RealmOwnership(IDocumentStore store, RateGovernor governor, IOptions<RealmOwnershipOptions> options, TimeProvider time,
    ILogger<RealmOwnership> logger)
{
    private readonly ConcurrentDictionary<string, (string RealmId, DateTimeOffset ExpiresAt)> _owned = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _deciding = new();

    public string ReplicaId { get; } = options.Value.ReplicaId ?? DefaultReplicaId();

    /// <summary>The host name, the process ID and 12 random hex digits: unique per process, readable in the leases and logs.</summary>
    private static string DefaultReplicaId() =>
        $"{Environment.GetEnvironmentVariable("HOSTNAME") ?? Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}"[..^20];

    private TimeSpan Duration => options.Value.LeaseDuration;

    /// <summary>Whether this replica holds the tenant's realm now, taking or renewing the lease when it may.</summary>
    public async Task<bool> EnsureOwnedAsync(string tenantId, string realmId, CancellationToken cancellationToken)
    {
        if (Held(tenantId, realmId))
            return true;
        // The queues of one replica ask at the same moment: one of them decides, the others take its answer.
        var deciding = _deciding.GetOrAdd(tenantId, _ => new SemaphoreSlim(1, 1));
        await deciding.WaitAsync(cancellationToken);
        try
        {
            return Held(tenantId, realmId) || await DecideAsync(tenantId, realmId, cancellationToken);
        }
        finally
        {
            deciding.Release();
        }
    }

    private bool Held(string tenantId, string realmId) =>
        _owned.TryGetValue(tenantId, out var held) && held.RealmId == realmId && held.ExpiresAt - time.GetUtcNow() >= Duration / 2;

    private async Task<bool> DecideAsync(string tenantId, string realmId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stored = await store.Collection<RealmLease>(RealmLease.CollectionName).GetAsync(tenantId, cancellationToken);
        var lease = stored?.Value;
        var decision = RealmLeaseRules.Decide(lease?.Owner, lease?.ExpiresAt, ReplicaId, now, Duration);
        switch (decision)
        {
            case LeaseDecision.HeldElsewhere:
                _owned.TryRemove(tenantId, out _);
                return false;
            case LeaseDecision.Keep:
                _owned[tenantId] = (realmId, lease!.ExpiresAt);
                return true;
            case LeaseDecision.TakeOver when lease!.RealmId == realmId:
                governor.Absorb(realmId, History(lease));
                break;
        }
        var renewed = Lease(tenantId, realmId, now + Duration, now);
        try
        {
            await store.CommitAsync([stored is null
                ? DocumentWrite.Insert(RealmLease.CollectionName, tenantId, renewed)
                : DocumentWrite.Replace(RealmLease.CollectionName, tenantId, renewed, stored.Version)], cancellationToken);
        }
        catch (DocumentStoreException)
        {
            // Another replica wrote the lease first: it is theirs.
            _owned.TryRemove(tenantId, out _);
            return false;
        }
        _owned[tenantId] = (realmId, now + Duration);
        if (decision is LeaseDecision.Acquire or LeaseDecision.TakeOver)
            logger.LogInformation("Replica {Replica} now sends the QuickBooks work of tenant {Tenant} (realm {Realm}){From}", ReplicaId, tenantId, realmId,
                decision == LeaseDecision.TakeOver ? $", taken over from {lease!.Owner}" : string.Empty);
        return true;
    }

    /// <summary>Hands every lease this replica holds on at once (expired now, with the realm's history), as the replica stops.</summary>
    public async Task ReleaseAllAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (tenantId, held) in _owned.ToArray())
        {
            try
            {
                var stored = await store.Collection<RealmLease>(RealmLease.CollectionName).GetAsync(tenantId, cancellationToken);
                if (stored?.Value.Owner == ReplicaId)
                    await store.ReplaceAsync(RealmLease.CollectionName, stored, Lease(tenantId, held.RealmId, now, now), cancellationToken);
            }
            catch (Exception exception) when (exception is DocumentStoreException or OperationCanceledException)
            {
                logger.LogWarning("The lease of tenant {Tenant} was not handed on ({Reason}); it expires by itself", tenantId, exception.Message);
            }
            _owned.TryRemove(tenantId, out _);
        }
    }

    private RealmLease Lease(string tenantId, string realmId, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var history = governor.Snapshot(realmId);
        return new RealmLease
        {
            TenantId = tenantId,
            RealmId = realmId,
            Owner = ReplicaId,
            ExpiresAt = expiresAt,
            Renewed = now,
            Requests = history.Requests.Select(r => r.UtcTicks).ToList(),
            Batches = history.Batches.Select(b => b.UtcTicks).ToList(),
            PausedUntil = history.PausedUntil,
        };
    }

    private static RequestHistory History(RealmLease lease) => new(
        lease.Requests.Select(t => new DateTimeOffset(t, TimeSpan.Zero)).ToList(),
        lease.Batches.Select(t => new DateTimeOffset(t, TimeSpan.Zero)).ToList(),
        lease.PausedUntil);
}

/// <summary>Hands the replica's realm leases on as it stops (it stops after the workers that drain them), so another replica goes on at once.</summary>
public sealed class RealmLeaseHandover(RealmOwnership ownership) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => ownership.ReleaseAllAsync(cancellationToken);
}
