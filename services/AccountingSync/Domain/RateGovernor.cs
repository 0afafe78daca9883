using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace QuoteToCash.AccountingSync.Domain;

/// <summary>QuickBooks Online's per-realm limits, and how the governor keeps clear of them.</summary>
public sealed class QboLimits
{
    public int RequestsPerMinute { get; set; } = 500;
    public int ConcurrentRequests { get; set; } = 10;
    public int BatchesPerMinute { get; set; } = 40;
    public int MaxBatchItems { get; set; } = 30;
    /// <summary>The limits' window; one minute in production, shorter in tests.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Added to the window so clock and network skew cannot put one request too many into QuickBooks' own window.</summary>
    public TimeSpan SafetyMargin { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>The pause after a 429 when no Retry-After says otherwise; QuickBooks asks for 60 s.</summary>
    public TimeSpan ThrottleBackoff { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Keeps every caller in the process inside a realm's limits: requests per window, batch requests per
/// window and concurrent requests. Callers wait for a slot instead of being refused, and a 429 pauses the
/// realm for at least the throttle back-off (or Retry-After when longer).
/// </summary>
public sealed class RateGovernor
{
    private static readonly Meter Meter = new("QuoteToCash.AccountingSync");
    private readonly ConcurrentDictionary<string, RealmBudget> _realms = new();
    private readonly QboLimits _limits;
    private readonly TimeProvider _time;

    public RateGovernor(QboLimits limits, TimeProvider time)
    {
        _limits = limits;
        _time = time;
        Meter.CreateObservableGauge("q2c.qbo.rate_headroom", () => _realms.Select(r =>
            new Measurement<int>(r.Value.Headroom(_time.GetUtcNow()), new KeyValuePair<string, object?>("realm", r.Key))),
            description: "Requests a realm may still send in the current window");
        Meter.CreateObservableGauge("q2c.qbo.waiting", () => _realms.Select(r =>
            new Measurement<int>(r.Value.Waiting, new KeyValuePair<string, object?>("realm", r.Key))),
            description: "Callers waiting for a QuickBooks slot per realm");
    }

    public QboLimits Limits => _limits;

    /// <summary>Waits for a slot and holds one of the realm's concurrent requests until the lease is disposed.</summary>
    public Task<IDisposable> AcquireAsync(string realmId, bool batch, CancellationToken cancellationToken = default) =>
        Budget(realmId).AcquireAsync(batch, cancellationToken);

    /// <summary>QuickBooks answered 429: nothing more goes to the realm until the back-off has passed.</summary>
    public void ReportThrottled(string realmId, TimeSpan? retryAfter = null)
    {
        var pause = retryAfter is { } after && after > _limits.ThrottleBackoff ? after : _limits.ThrottleBackoff;
        Budget(realmId).PauseUntil(_time.GetUtcNow() + pause);
    }

    /// <summary>Requests the realm may still send in the current window.</summary>
    public int Headroom(string realmId) => Budget(realmId).Headroom(_time.GetUtcNow());

    /// <summary>Callers waiting for a slot: a realm with a backlog should send batches.</summary>
    public int Waiting(string realmId) => Budget(realmId).Waiting;

    public DateTimeOffset? PausedUntil(string realmId) => Budget(realmId).Paused(_time.GetUtcNow());

    private RealmBudget Budget(string realmId) => _realms.GetOrAdd(realmId, _ => new RealmBudget(_limits, _time));

    private sealed class RealmBudget(QboLimits limits, TimeProvider time)
    {
        private readonly Lock _gate = new();
        private readonly Queue<DateTimeOffset> _requests = new();
        private readonly Queue<DateTimeOffset> _batches = new();
        private readonly SemaphoreSlim _concurrency = new(limits.ConcurrentRequests, limits.ConcurrentRequests);
        private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
        private int _waiting;

        public int Waiting => Volatile.Read(ref _waiting);

        private TimeSpan Span => limits.Window + limits.SafetyMargin;

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
                            var now = time.GetUtcNow();
                            Prune(now);
                            if (now < _pausedUntil)
                                wait = _pausedUntil - now;
                            else if (_requests.Count >= limits.RequestsPerMinute)
                                wait = _requests.Peek() + Span - now;
                            else if (batch && _batches.Count >= limits.BatchesPerMinute)
                                wait = _batches.Peek() + Span - now;
                            else
                            {
                                _requests.Enqueue(now);
                                if (batch)
                                    _batches.Enqueue(now);
                                return new Lease(_concurrency);
                            }
                        }
                        await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), time, cancellationToken);
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

        public void PauseUntil(DateTimeOffset until)
        {
            lock (_gate)
            {
                if (until > _pausedUntil)
                    _pausedUntil = until;
            }
        }

        public DateTimeOffset? Paused(DateTimeOffset now)
        {
            lock (_gate)
                return now < _pausedUntil ? _pausedUntil : null;
        }

        public int Headroom(DateTimeOffset now)
        {
            lock (_gate)
            {
                Prune(now);
                return now < _pausedUntil ? 0 : limits.RequestsPerMinute - _requests.Count;
            }
        }

        private void Prune(DateTimeOffset now)
        {
            while (_requests.Count > 0 && _requests.Peek() + Span <= now)
                _requests.Dequeue();
            while (_batches.Count > 0 && _batches.Peek() + Span <= now)
                _batches.Dequeue();
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
