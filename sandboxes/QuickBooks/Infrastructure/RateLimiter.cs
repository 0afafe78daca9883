using Microsoft.Extensions.Options;
using QuoteToCash.Sandbox.QuickBooks.Configuration;

namespace QuoteToCash.Sandbox.QuickBooks.Infrastructure;

/// <summary>
/// QBO's throttles: requests per minute per realm (batches included), requests in flight per realm and app,
/// batches per minute per realm and app and per realm. Sliding windows over <see cref="LimitsOptions.Window"/>.
/// A refused request does not count.
/// </summary>
public sealed class RateLimiter(IOptionsMonitor<QuickBooksOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _batches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.Ordinal);

    /// <summary>A slot, or null when the call must be answered 429. Dispose the slot when the call is done.</summary>
    public IDisposable? TryEnter(string realmId, string clientId, bool isBatch)
    {
        var limits = options.CurrentValue.Limits;
        var now = time.GetUtcNow();
        var appKey = realmId + "|" + clientId;
        lock (_gate)
        {
            if (_inFlight.GetValueOrDefault(appKey) >= limits.ConcurrentRequests)
                return null;
            var requests = Window(_requests, realmId, now, limits.Window);
            if (requests.Count >= limits.RequestsPerMinute)
                return null;
            Queue<DateTimeOffset>? appBatches = null, realmBatches = null;
            if (isBatch)
            {
                appBatches = Window(_batches, appKey, now, limits.Window);
                realmBatches = Window(_batches, realmId, now, limits.Window);
                if (appBatches.Count >= limits.BatchesPerMinute || realmBatches.Count >= limits.BatchesPerMinutePerRealm)
                    return null;
                appBatches.Enqueue(now);
                realmBatches.Enqueue(now);
            }
            requests.Enqueue(now);
            _inFlight[appKey] = _inFlight.GetValueOrDefault(appKey) + 1;
            return new Slot(this, appKey);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _requests.Clear();
            _batches.Clear();
            _inFlight.Clear();
        }
    }

    private static Queue<DateTimeOffset> Window(Dictionary<string, Queue<DateTimeOffset>> all, string key, DateTimeOffset now, TimeSpan window)
    {
        if (!all.TryGetValue(key, out var queue))
            all[key] = queue = new Queue<DateTimeOffset>();
        while (queue.Count > 0 && queue.Peek() <= now - window)
            queue.Dequeue();
        return queue;
    }

    private void Leave(string appKey)
    {
        lock (_gate)
        {
            var count = _inFlight.GetValueOrDefault(appKey) - 1;
            if (count <= 0)
                _inFlight.Remove(appKey);
            else
                _inFlight[appKey] = count;
        }
    }

    private sealed class Slot(RateLimiter owner, string appKey) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                owner.Leave(appKey);
        }
    }
}
