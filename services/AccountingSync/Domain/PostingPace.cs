namespace QuoteToCash.AccountingSync.Domain;

/// <summary>When the invoice posting worker waits for a fuller batch, and when it sends what it has.</summary>
public static class PostingPace
{
    /// <summary>
    /// Whether to wait a moment before posting a realm's queue. A lone invoice (fewer queued than
    /// <paramref name="batchThreshold"/>) goes at once as a single request: singles have the larger budget (500 a minute)
    /// and waiting would only add latency. Once a batch will be sent, it waits while the queue is still growing, the batch
    /// is not full, and it has not waited <paramref name="maxLinger"/> in all, because batches are the scarce budget
    /// (40 a minute) and a fuller one carries more invoices for the same cost. It waits only while that budget is
    /// getting scarce: with at least half of the window's batch requests still free (<paramref name="batchHeadroom"/> of
    /// <paramref name="batchesPerWindow"/>), a part-filled batch goes at once, since waiting would buy nothing but latency.
    /// </summary>
    /// <param name="queued">Invoices due now.</param>
    /// <param name="previous">How many were due at the last look of this pass (-1 at the first).</param>
    /// <param name="lingered">How long this pass has waited so far.</param>
    /// <param name="batchHeadroom">Batch requests the realm may still send in the current window (the rate governor's figure).</param>
    /// <param name="batchesPerWindow">Batch requests a window allows.</param>
    public static bool ShouldLinger(int queued, int previous, TimeSpan lingered, int batchThreshold, int batchSize, TimeSpan maxLinger,
        int batchHeadroom, int batchesPerWindow) =>
        queued >= batchThreshold && queued < batchSize && queued > previous && lingered < maxLinger && 2L * batchHeadroom < batchesPerWindow;

    /// <summary>
    /// How long an operation QuickBooks did not answer waits before it goes again: not at all after the first unanswered
    /// attempt (a blip goes again at once), then <paramref name="first"/>, doubling with each further one up to
    /// <paramref name="max"/>.
    /// </summary>
    public static TimeSpan UnansweredBackoff(int unansweredPasses, TimeSpan first, TimeSpan max)
    {
        if (unansweredPasses <= 1)
            return TimeSpan.Zero;
        var wait = first * Math.Pow(2, Math.Min(unansweredPasses - 2, 20));
        return wait > max ? max : wait;
    }
}
