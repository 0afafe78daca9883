using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Tests.Infrastructure;

/// <summary>
/// Two accounting-sync replicas over one store, each with its own rate governor: one active owner per realm, a takeover
/// only once the owner's lease has expired (or it handed it on), and the realm's request history carried to the new owner.
/// </summary>
public sealed class RealmOwnershipTests : IDisposable
{
    private const string Tenant = "harbour-partners";
    private const string Realm = "9130358176123456";
    private readonly string _directory = Directory.CreateTempSubdirectory("q2c-realm-leases-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly LiteDbDocumentStore _store;

    public RealmOwnershipTests() => _store = new LiteDbDocumentStore(Path.Combine(_directory, "accounting-sync.db"));

    public void Dispose()
    {
        _store.Dispose();
        _services.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private (RealmOwnership Ownership, RateGovernor Governor) Replica(string name)
    {
        var governor = new RateGovernor(new QboLimits { RequestsPerMinute = 5, SafetyMargin = TimeSpan.Zero }, _clock,
            _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var ownership = new RealmOwnership(_store, governor, Options.Create(new RealmOwnershipOptions { LeaseDuration = TimeSpan.FromSeconds(30), ReplicaId = name }),
            _clock, NullLogger<RealmOwnership>.Instance);
        return (ownership, governor);
    }

    /// <summary>A replica named by default, as in production (no QuickBooks:Ownership:ReplicaId).</summary>
    private RealmOwnership DefaultNamedReplica()
    {
        var governor = new RateGovernor(new QboLimits { RequestsPerMinute = 5, SafetyMargin = TimeSpan.Zero }, _clock,
            _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        return new RealmOwnership(_store, governor, Options.Create(new RealmOwnershipOptions { LeaseDuration = TimeSpan.FromSeconds(30) }),
            _clock, NullLogger<RealmOwnership>.Instance);
    }

    private Task<bool> OwnsAsync(RealmOwnership replica) => replica.EnsureOwnedAsync(Tenant, Realm, TestContext.Current.CancellationToken);

    [Fact]
    public async Task One_replica_holds_a_realm_and_the_other_leaves_it_alone_while_the_lease_lives()
    {
        var (a, _) = Replica("replica-a");
        var (b, _) = Replica("replica-b");

        Assert.True(await OwnsAsync(a));
        Assert.False(await OwnsAsync(b));
        _clock.Advance(TimeSpan.FromSeconds(20)); // past half: the owner renews when it has work
        Assert.True(await OwnsAsync(a));
        _clock.Advance(TimeSpan.FromSeconds(20)); // 40 s after the start, 20 s after the renewal
        Assert.False(await OwnsAsync(b));

        var lease = (await _store.Collection<RealmLease>(RealmLease.CollectionName).GetAsync(Tenant, TestContext.Current.CancellationToken))!.Value;
        Assert.Equal(("replica-a", Realm, _clock.GetUtcNow().AddSeconds(10)), (lease.Owner, lease.RealmId, lease.ExpiresAt));
    }

    [Fact]
    public async Task A_dead_owners_realm_is_taken_over_after_its_lease_expires_with_the_requests_it_made_still_counting()
    {
        var (a, governorA) = Replica("replica-a");
        var (b, governorB) = Replica("replica-b");
        Assert.True(await OwnsAsync(a));
        for (var i = 0; i < 5; i++)
            (await governorA.AcquireAsync(Realm, batch: false, TestContext.Current.CancellationToken)).Dispose();
        _clock.Advance(TimeSpan.FromSeconds(16));
        Assert.True(await OwnsAsync(a)); // renewed, with the five requests in the lease

        _clock.Advance(TimeSpan.FromSeconds(30)); // replica a died: no renewal
        Assert.True(await OwnsAsync(b));

        Assert.Equal(0, governorB.Headroom(Realm)); // a's five requests of the minute still count here
        _clock.Advance(TimeSpan.FromSeconds(15)); // a minute after a's requests
        Assert.Equal(5, governorB.Headroom(Realm));
        Assert.False(await OwnsAsync(a)); // a, back, finds its realm taken
    }

    [Fact]
    public async Task Replicas_with_the_same_host_name_and_process_id_are_still_two_owners()
    {
        // Two containers of one compose service: the same host name (the service's) and both process 1. Here: one process.
        var a = DefaultNamedReplica();
        var b = DefaultNamedReplica();
        var host = Environment.GetEnvironmentVariable("HOSTNAME") ?? Environment.MachineName;
        Assert.StartsWith($"{host}:{Environment.ProcessId}:", a.ReplicaId, StringComparison.Ordinal);
        Assert.StartsWith($"{host}:{Environment.ProcessId}:", b.ReplicaId, StringComparison.Ordinal);
        Assert.NotEqual(a.ReplicaId, b.ReplicaId);

        Assert.True(await OwnsAsync(a));
        Assert.False(await OwnsAsync(b));
        _clock.Advance(TimeSpan.FromSeconds(31)); // a died without handing on: b waits for the lease to expire
        Assert.True(await OwnsAsync(b));
        Assert.False(await OwnsAsync(a));
    }

    [Fact]
    public async Task A_stopping_replica_hands_its_realms_on_at_once()
    {
        var (a, governorA) = Replica("replica-a");
        var (b, governorB) = Replica("replica-b");
        Assert.True(await OwnsAsync(a));
        (await governorA.AcquireAsync(Realm, batch: true, TestContext.Current.CancellationToken)).Dispose();

        await a.ReleaseAllAsync(TestContext.Current.CancellationToken);

        Assert.True(await OwnsAsync(b));
        Assert.Equal(4, governorB.Headroom(Realm));
        Assert.Equal((1, 1), (governorB.Snapshot(Realm).Requests.Count, governorB.Snapshot(Realm).Batches.Count));
    }

    [Fact]
    public async Task Two_replicas_passing_over_the_same_realm_start_one_drain_and_a_drain_that_lost_its_realm_stops()
    {
        await _store.CommitAsync([DocumentWrite.Insert(QboConnection.CollectionName, Tenant, new QboConnection
        {
            TenantId = Tenant, RealmId = Realm, Status = QboConnectionStatus.Connected, Environment = "sandbox", BaseUrl = "https://sandbox-quickbooks.api.intuit.com",
            TokenUrl = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer", ClientId = "client",
        })], TestContext.Current.CancellationToken);
        var (a, _) = Replica("replica-a");
        var (b, _) = Replica("replica-b");
        var schedulerA = new RealmDrainScheduler(_store, a, NullLogger<RealmDrainScheduler>.Instance);
        var schedulerB = new RealmDrainScheduler(_store, b, NullLogger<RealmDrainScheduler>.Instance);
        var drains = new List<string>();
        var stopped = new TaskCompletionSource();
        var running = new TaskCompletionSource();
        Func<string, CancellationToken, Task> Drain(string replica) => async (_, token) =>
        {
            lock (drains)
                drains.Add(replica);
            running.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                stopped.TrySetResult();
            }
        };
        Task<IEnumerable<string>> Work(CancellationToken _) => Task.FromResult<IEnumerable<string>>([Tenant]);

        Assert.Equal(1, await schedulerA.PassAsync("outbound", Work, Drain("replica-a"), TestContext.Current.CancellationToken));
        await running.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(0, await schedulerB.PassAsync("outbound", Work, Drain("replica-b"), TestContext.Current.CancellationToken));

        // Replica a stalls past its lease (no pass renews it); b takes the realm over and a's next pass stops its drain.
        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await schedulerB.PassAsync("outbound", Work, Drain("replica-b"), TestContext.Current.CancellationToken));
        Assert.Equal(0, await schedulerA.PassAsync("outbound", Work, Drain("replica-a"), TestContext.Current.CancellationToken));
        await stopped.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        lock (drains)
            Assert.Equal(["replica-a", "replica-b"], drains);
    }
}
