using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using QuoteToCash.Sandbox.QuickBooks.Configuration;

namespace QuoteToCash.Sandbox.QuickBooks.Infrastructure;

/// <summary>
/// requestid idempotency: per realm, the first response to a requestid is kept and replayed byte for byte to
/// any later request carrying the same id (whatever its body), instead of performing the operation again.
/// A repeat that arrives while the first is still running waits for it.
/// </summary>
public sealed class RequestIdCache(IOptionsMonitor<QuickBooksOptions> options, TimeProvider time)
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _lastPruneTicks;

    private sealed record Entry(Task<QboResult> Response, DateTimeOffset CreatedAt);

    /// <summary>Runs <paramref name="execute"/> once per (realm, requestid); <c>Replayed</c> tells whether this call was a repeat.</summary>
    public async Task<(QboResult Result, bool Replayed)> RunOnceAsync(string realmId, string requestId, Func<QboResult> execute)
    {
        Prune();
        var key = realmId + "|" + requestId;
        if (_entries.TryGetValue(key, out var old) && old.Response.IsCompleted && old.CreatedAt < time.GetUtcNow() - options.CurrentValue.RequestIdRetention)
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, old));
        var completion = new TaskCompletionSource<QboResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var mine = new Entry(completion.Task, time.GetUtcNow());
        var entry = _entries.GetOrAdd(key, mine);
        if (!ReferenceEquals(entry, mine))
            return (await entry.Response, true);
        try
        {
            var result = execute();
            completion.SetResult(result);
            return (result, false);
        }
        catch (Exception exception)
        {
            _entries.TryRemove(key, out _);
            completion.SetException(exception);
            throw;
        }
    }

    public void Clear() => _entries.Clear();

    private void Prune()
    {
        var now = time.GetUtcNow();
        var last = Interlocked.Read(ref _lastPruneTicks);
        if (now.UtcTicks - last < PruneInterval.Ticks || Interlocked.CompareExchange(ref _lastPruneTicks, now.UtcTicks, last) != last)
            return;
        var cutoff = now - options.CurrentValue.RequestIdRetention;
        foreach (var (key, entry) in _entries)
        {
            if (entry.CreatedAt < cutoff)
                _entries.TryRemove(key, out _);
        }
    }
}
