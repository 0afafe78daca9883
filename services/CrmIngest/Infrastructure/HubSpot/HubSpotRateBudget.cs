using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using QuoteToCash.CrmIngest.Domain;
using QuoteToCash.CrmIngest.Infrastructure.WriteBack;

namespace QuoteToCash.CrmIngest.Infrastructure.HubSpot;

/// <summary>Which part of a token's budget a request spends.</summary>
public enum HubSpotTraffic
{
    /// <summary>Intake: deals, companies, contacts, line items, pipelines, backfill pages.</summary>
    Read,

    /// <summary>The write-back of invoice facts and standing.</summary>
    Write,
}

/// <summary>
/// The HubSpot request budget of each token, shared by intake's reads and the write-back. It starts at
/// <see cref="HubSpotRateLimit.Default"/> (or the configured write-back pace) and follows the limit HubSpot reports on
/// every answer, so a portal on a higher plan (or a sandbox with its limits raised) is used to its limit instead of the
/// lowest plan's, and a lower one is respected from the first answer on.
/// </summary>
public sealed class HubSpotRateBudget(IOptions<WriteBackOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, TokenPace> _paces = new(StringComparer.Ordinal);

    /// <summary>The limit the budget currently follows for <paramref name="token"/>.</summary>
    public HubSpotRateLimit LimitOf(string token) => Pace(token).Limit;

    /// <summary>Waits for a permit of the token's read or write share.</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(string token, HubSpotTraffic traffic, CancellationToken cancellationToken)
    {
        while (true)
        {
            var pace = Pace(token);
            RateLimitLease lease;
            try
            {
                lease = await (traffic == HubSpotTraffic.Read ? pace.Reads : pace.Writes).AcquireAsync(1, cancellationToken);
            }
            catch (ObjectDisposedException)
            {
                continue; // replaced between reading the pace and asking it
            }
            if (lease.IsAcquired)
                return lease;
            lease.Dispose(); // the limit changed while this request waited: wait again under the new one
        }
    }

    /// <summary>Learns the limit an answer reports; a change replaces the token's limiters (waiters move to the new ones).</summary>
    public void Observe(string token, HttpResponseMessage response)
    {
        var limit = HubSpotRateLimit.FromHeaders(Header(response, "X-HubSpot-RateLimit-Max"), Header(response, "X-HubSpot-RateLimit-Interval-Milliseconds"));
        if (limit is null)
            return;
        var current = Pace(token);
        if (current.Limit == limit)
            return;
        var next = TokenPace.For(limit, options.Value.HubSpotWriteShare);
        if (_paces.TryUpdate(token, next, current))
            current.Dispose();
        else
            next.Dispose();
    }

    public void Dispose()
    {
        foreach (var pace in _paces.Values)
            pace.Dispose();
    }

    private TokenPace Pace(string token) => _paces.GetOrAdd(token, _ =>
    {
        // Until HubSpot has answered once: the lowest plan's limit for the reads, the configured pace for the write-back.
        var configured = options.Value;
        var (reads, _) = HubSpotRateLimit.Default.Split(configured.HubSpotWriteShare);
        return new TokenPace(HubSpotRateLimit.Default, Limiter(reads, HubSpotRateLimit.Default.Interval),
            Limiter(Math.Max(1, configured.HubSpotPermitsPerWindow), configured.HubSpotWindow));
    });

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static SlidingWindowRateLimiter Limiter(int permits, TimeSpan window) => new(new SlidingWindowRateLimiterOptions
    {
        PermitLimit = permits,
        Window = window,
        SegmentsPerWindow = 10,
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    private sealed record TokenPace(HubSpotRateLimit Limit, RateLimiter Reads, RateLimiter Writes) : IDisposable
    {
        public static TokenPace For(HubSpotRateLimit limit, decimal writeShare)
        {
            var (reads, writes) = limit.Split(writeShare);
            return new TokenPace(limit, Limiter(reads, limit.Interval), Limiter(writes, limit.Interval));
        }

        public void Dispose()
        {
            Reads.Dispose();
            Writes.Dispose();
        }
    }
}
