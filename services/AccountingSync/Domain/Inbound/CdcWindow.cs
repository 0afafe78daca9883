namespace QuoteToCash.AccountingSync.Domain.Inbound;

/// <summary>Where a CDC read of one entity starts, and whether changes older than QuickBooks' look-back may have been missed.</summary>
/// <param name="Since">The changedSince to send.</param>
/// <param name="Gap">True when the watermark was older than QuickBooks lets CDC look back: changes before <paramref name="Since"/> may be lost, so a reconciliation should run.</param>
public sealed record CdcWindowPlan(DateTimeOffset Since, bool Gap);

/// <summary>What to do after one CDC answer.</summary>
/// <param name="Watermark">Where the next read of this entity starts.</param>
/// <param name="More">True when the answer was cut at QuickBooks' cap: read again at once from <paramref name="Watermark"/>.</param>
/// <param name="Gap">True when the cap was reached within a single second, so the window could not be narrowed and changes may be lost.</param>
public sealed record CdcStep(DateTimeOffset Watermark, bool More, bool Gap);

/// <summary>
/// The change-data-capture window's arithmetic. QuickBooks answers CDC for at most 30 days back and with at most 1,000
/// objects; it has no upper bound or paging. Each entity is therefore read on its own (a cap of its own), a capped answer
/// moves the start up to the newest change it returned (oldest changes come first; the boundary second is read again,
/// which is harmless because applying a change twice publishes nothing twice), and a watermark older than the look-back
/// is moved inside it, with a gap reported so reconciliation can find what CDC can no longer show.
/// </summary>
public static class CdcWindow
{
    public static readonly TimeSpan QuickBooksLookBack = TimeSpan.FromDays(30);
    public const int QuickBooksMaxObjects = 1000;

    /// <param name="watermark">QuickBooks' own time of the last complete read (the CDC answer's <c>time</c>), or null before the first.</param>
    /// <param name="firstStart">Where the first read starts (e.g. when the tenant connected).</param>
    /// <param name="now">The current time.</param>
    /// <param name="lookBack">How far back QuickBooks answers (30 days).</param>
    /// <param name="margin">Kept inside the look-back so clock skew and the request's own travel never push it over.</param>
    public static CdcWindowPlan Plan(DateTimeOffset? watermark, DateTimeOffset firstStart, DateTimeOffset now, TimeSpan lookBack, TimeSpan margin)
    {
        if (margin < TimeSpan.Zero || margin >= lookBack)
            throw new ArgumentOutOfRangeException(nameof(margin), "The margin must be positive and shorter than the look-back.");
        var earliest = now - lookBack + margin;
        var since = watermark ?? firstStart;
        if (since > now)
            since = now;
        if (since >= earliest)
            return new CdcWindowPlan(since, false);
        // Before the first read there is nothing we could have missed; afterwards the older changes are out of CDC's reach.
        return new CdcWindowPlan(earliest, watermark is not null);
    }

    /// <param name="since">The changedSince that was sent.</param>
    /// <param name="serverTime">The answer's <c>time</c>, QuickBooks' clock when it read the changes.</param>
    /// <param name="returned">How many objects of the entity came back.</param>
    /// <param name="cap">QuickBooks' cap (1,000).</param>
    /// <param name="newestChange">The newest LastUpdatedTime among them.</param>
    public static CdcStep Next(DateTimeOffset since, DateTimeOffset serverTime, int returned, int cap, DateTimeOffset? newestChange)
    {
        if (returned < cap)
            return new CdcStep(serverTime > since ? serverTime : since, false, false);
        var newest = Truncate(newestChange ?? since);
        if (newest > Truncate(since))
            return new CdcStep(newest, true, false);
        // A full answer from one second: a narrower window does not exist, so step past that second.
        return new CdcStep(Truncate(since) + TimeSpan.FromSeconds(1), true, true);
    }

    /// <summary>CDC compares to the second.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset instant) => new(instant.Ticks - instant.Ticks % TimeSpan.TicksPerSecond, instant.Offset);
}
