using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using QuoteToCash.AccountingSync.Domain;

namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

/// <summary>
/// Keeps every caller in the process inside a realm's limits: requests per window, batch requests per
/// window and concurrent requests. Callers wait for a slot instead of being refused, and a 429 pauses the
/// realm for at least the throttle back-off (or Retry-After when longer). The arithmetic is the realm's
/// <see cref="RequestWindow"/>; this class adds the waiting, the concurrency limit and the metrics.
/// </summary>
public sealed class RateGovernor
{
    public const string MeterName = "QuoteToCash.AccountingSync";

    private readonly ConcurrentDictionary<string, RealmBudget> _realms = new();
    private readonly QboLimits _limits;
    private readonly TimeProvider _time;

    public RateGovernor(QboLimits limits, TimeProvider time, IMeterFactory meterFactory)
    {
        _limits = limits;
        _time = time;
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("q2c.qbo.rate_headroom", () => _realms.Select(r =>
            new Measurement<int>(r.Value.Headroom(_time.GetUtcNow()), new KeyValuePair<string, object?>("realm", r.Key))),
            description: "Requests a realm may still send in the current window");
        meter.CreateObservableGauge("q2c.qbo.waiting", () => _realms.Select(r =>
            new Measurement<int>(r.Value.Waiting, new KeyValuePair<string, object?>("realm", r.Key))),
            description: "Callers waiting for a QuickBooks slot per realm");
    }

    public QboLimits Limits => _limits;

    /// <summary>Waits for a slot and holds one of the realm's concurrent requests until the lease is disposed.</summary>
    public Task<IDisposable> AcquireAsync(string realmId, bool batch, CancellationToken cancellationToken = default) =>
        Budget(realmId).AcquireAsync(batch, cancellationToken);

    /// <summary>QuickBooks answered 429: nothing more goes to the realm until the back-off has passed.</summary>
    public void ReportThrottled(string realmId, TimeSpan? retryAfter = null) => Budget(realmId).Throttled(retryAfter);

    /// <summary>Requests the realm may still send in the current window.</summary>
    public int Headroom(string realmId) => Budget(realmId).Headroom(_time.GetUtcNow());

    /// <summary>Callers waiting for a slot: a realm with a backlog should send batches.</summary>
    public int Waiting(string realmId) => Budget(realmId).Waiting;

    /// <summary>Batch requests the realm may still send in the current window.</summary>
    public int BatchHeadroom(string realmId) => Budget(realmId).BatchHeadroom(_time.GetUtcNow());

    public DateTimeOffset? PausedUntil(string realmId) => Budget(realmId).PausedUntil(_time.GetUtcNow());

    /// <summary>The realm's requests still counting and its pause, for the realm's next owner.</summary>
    public RequestHistory Snapshot(string realmId) => Budget(realmId).Snapshot(_time.GetUtcNow());

    /// <summary>Takes over the realm's history from its last owner, so its limits hold across the change.</summary>
    public void Absorb(string realmId, RequestHistory history) => Budget(realmId).Absorb(history, _time.GetUtcNow());

    private RealmBudget Budget(string realmId) => _realms.GetOrAdd(realmId, _ => new RealmBudget(_limits, _time));

    private sealed class RealmBudget(QboLimits limits, TimeProvider time)
    {
        private readonly Lock _gate = new();
        private readonly RequestWindow _window = new(limits);
        private readonly SemaphoreSlim _concurrency = new(limits.ConcurrentRequests, limits.ConcurrentRequests);
        private int _waiting;

        public int Waiting => Volatile.Read(ref _waiting);

        public async Task<IDisposable> AcquireAsync(bool batch, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _waiting);
            try
            {
                await _concurrency.WaitAsync(cancellationToken);
                try
                {
                    while (true)
                    {
                        TimeSpan wait;
                        lock (_gate)
                        {
                            if (_window.TryTake(time.GetUtcNow(), batch, out wait))
                                return new Lease(_concurrency);
                        }
                        await Task.Delay(wait, time, cancellationToken);
                    }
                }
                catch
                {
                    _concurrency.Release();
                    throw;
                }
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        public void Throttled(TimeSpan? retryAfter)
        {
            lock (_gate)
                _window.Throttled(time.GetUtcNow(), retryAfter);
        }

        public DateTimeOffset? PausedUntil(DateTimeOffset now)
        {
            lock (_gate)
                return _window.PausedUntil(now);
        }

        public int Headroom(DateTimeOffset now)
        {
            lock (_gate)
                return _window.Headroom(now);
        }

        public int BatchHeadroom(DateTimeOffset now)
        {
            lock (_gate)
                return _window.BatchHeadroom(now);
        }

        public RequestHistory Snapshot(DateTimeOffset now)
        {
            lock (_gate)
                return _window.Snapshot(now);
        }

        public void Absorb(RequestHistory history, DateTimeOffset now)
        {
            lock (_gate)
                _window.Absorb(history, now);
        }

        private sealed class Lease(SemaphoreSlim concurrency) : IDisposable
        {
            private int _disposed;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                    concurrency.Release();
            }
        }
    }
}
