namespace QuoteToCash.AccountingSync.Infrastructure.Posting;

/// <summary>
/// The order in which invoices join the posting queue: strictly increasing within the process, even for invoices queued
/// in the same clock tick, and after an earlier process's numbers because it follows the clock's ticks. One per process.
/// </summary>
public sealed class PostingSequence(TimeProvider time)
{
    private long _last;

    public long Next()
    {
        var ticks = time.GetUtcNow().UtcTicks;
        while (true)
        {
            var last = Volatile.Read(ref _last);
            var next = Math.Max(last + 1, ticks);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
                return next;
        }
    }
}
