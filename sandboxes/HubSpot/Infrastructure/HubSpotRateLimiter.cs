using Microsoft.Extensions.Options;

namespace QuoteToCash.Sandbox.HubSpot.Infrastructure;

/// <summary>What the limiter decided for one request, and the numbers that go into the X-HubSpot-RateLimit-* headers.</summary>
public sealed record RateDecision(bool Allowed, string? Policy, int Max, int Remaining, int IntervalMs, int Daily, int DailyRemaining);

/// <summary>
/// HubSpot's limits per app per portal: a rolling burst window (100 per 10 s by default) and a daily total that resets at
/// midnight (UTC here), plus a per-portal limit on CRM search requests per second.
/// </summary>
public sealed class HubSpotRateLimiter(IOptionsMonitor<HubSpotSandboxOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(long, long), Queue<long>> _bursts = [];
    private readonly Dictionary<(long, long), (DateOnly Day, int Count)> _daily = [];
    private readonly Dictionary<long, Queue<long>> _searches = [];

    public RateDecision Check(Caller caller, bool isSearch)
    {
        var limits = options.CurrentValue.RateLimit;
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var key = (caller.PortalId, caller.AppId);
        lock (_gate)
        {
            if (!_bursts.TryGetValue(key, out var burst))
                _bursts[key] = burst = new Queue<long>();
            while (burst.Count > 0 && burst.Peek() <= nowMs - limits.BurstWindowMs)
                burst.Dequeue();
            var daily = _daily.TryGetValue(key, out var d) && d.Day == today ? d.Count : 0;

            RateDecision Decision(bool allowed, string? policy) => new(allowed, policy, limits.BurstLimit,
                Math.Max(0, limits.BurstLimit - burst.Count), limits.BurstWindowMs, limits.DailyLimit, Math.Max(0, limits.DailyLimit - daily));

            if (daily >= limits.DailyLimit)
                return Decision(false, "DAILY");
            if (burst.Count >= limits.BurstLimit)
                return Decision(false, "TEN_SECONDLY_ROLLING");
            if (isSearch && limits.SearchPerSecond > 0)
            {
                if (!_searches.TryGetValue(caller.PortalId, out var searches))
                    _searches[caller.PortalId] = searches = new Queue<long>();
                while (searches.Count > 0 && searches.Peek() <= nowMs - 1000)
                    searches.Dequeue();
                if (searches.Count >= limits.SearchPerSecond)
                    return Decision(false, "SECONDLY");
                searches.Enqueue(nowMs);
            }
            burst.Enqueue(nowMs);
            daily++;
            _daily[key] = (today, daily);
            return Decision(true, null);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _bursts.Clear();
            _daily.Clear();
            _searches.Clear();
        }
    }
}
