namespace QuoteToCash.Reporting.Infrastructure;

/// <summary>Strictly increasing change stamps (UTC ticks, bumped by one when the clock has not moved), so every write changes a tenant's newest stamp.</summary>
public static class ChangeStamp
{
    private static long _last;

    public static long Next(TimeProvider time)
    {
        var now = time.GetUtcNow().UtcTicks;
        while (true)
        {
            var last = Interlocked.Read(ref _last);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
                return next;
        }
    }
}
