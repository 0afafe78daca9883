using System.Collections.Concurrent;

namespace QuoteToCash.CrmIngest.Infrastructure;

/// <summary>
/// Values read from a CRM that change rarely, kept for a fixed time after they were read. Expiry follows the injected
/// <see cref="TimeProvider"/>. Concurrent misses of one key may each load; the last load wins, which is harmless for metadata.
/// </summary>
public abstract class ExpiringCache<TKey, TValue>(TimeProvider time, TimeSpan timeToLive) where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, (DateTimeOffset Until, TValue Value)> _entries = new();

    public TimeSpan TimeToLive => timeToLive;

    /// <summary>The cached value while it is fresh; otherwise <paramref name="load"/>'s, kept for <see cref="TimeToLive"/> from now.</summary>
    public async Task<TValue> GetOrLoadAsync(TKey key, Func<CancellationToken, Task<TValue>> load, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var cached) && cached.Until > now)
            return cached.Value;
        var value = await load(cancellationToken);
        _entries[key] = (now + timeToLive, value);
        return value;
    }
}
