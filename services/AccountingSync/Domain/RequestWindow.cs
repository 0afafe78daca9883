namespace QuoteToCash.AccountingSync.Domain;

/// <summary>
/// One realm's sliding log of requests and batch requests against <see cref="QboLimits"/>: given the time, it tells
/// whether a request may go now and, when not, how long to wait. A 429 pauses the realm. Pure arithmetic on the
/// timestamps it is given; not thread-safe, so its owner serialises access.
/// </summary>
public sealed class RequestWindow(QboLimits limits)
{
    private readonly Queue<DateTimeOffset> _requests = new();
    private readonly Queue<DateTimeOffset> _batches = new();
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    /// <summary>A request counts against the limits for the window plus the safety margin.</summary>
    private TimeSpan Span => limits.Window + limits.SafetyMargin;

    /// <summary>How long a request (a batch request when <paramref name="batch"/>) must wait at <paramref name="now"/>; zero when it may go.</summary>
    public TimeSpan WaitBeforeNext(DateTimeOffset now, bool batch)
    {
        Prune(now);
        if (now < _pausedUntil)
            return _pausedUntil - now;
        if (_requests.Count >= limits.RequestsPerMinute)
            return _requests.Peek() + Span - now;
        if (batch && _batches.Count >= limits.BatchesPerMinute)
            return _batches.Peek() + Span - now;
        return TimeSpan.Zero;
    }

    /// <summary>Records the request at <paramref name="now"/> when it may go; otherwise leaves the log alone and says how long to wait.</summary>
    public bool TryTake(DateTimeOffset now, bool batch, out TimeSpan wait)
    {
        wait = WaitBeforeNext(now, batch);
        if (wait > TimeSpan.Zero)
            return false;
        _requests.Enqueue(now);
        if (batch)
            _batches.Enqueue(now);
        return true;
    }

    /// <summary>QuickBooks answered 429 at <paramref name="now"/>: paused for the throttle back-off, or Retry-After when longer. A pause is never shortened.</summary>
    public void Throttled(DateTimeOffset now, TimeSpan? retryAfter)
    {
        var pause = retryAfter is { } after && after > limits.ThrottleBackoff ? after : limits.ThrottleBackoff;
        if (now + pause > _pausedUntil)
            _pausedUntil = now + pause;
    }

    public DateTimeOffset? PausedUntil(DateTimeOffset now) => now < _pausedUntil ? _pausedUntil : null;

    /// <summary>Requests that may still go in the current window; none while paused.</summary>
    public int Headroom(DateTimeOffset now)
    {
        Prune(now);
        return now < _pausedUntil ? 0 : Math.Max(0, limits.RequestsPerMinute - _requests.Count);
    }

    /// <summary>Batch requests that may still go in the current window; none while paused.</summary>
    public int BatchHeadroom(DateTimeOffset now) =>
        Math.Min(Headroom(now), Math.Max(0, limits.BatchesPerMinute - _batches.Count)); // Headroom prunes first and is 0 while paused

    /// <summary>What still counts at <paramref name="now"/>: the requests and batch requests of the window, and the pause.</summary>
    public RequestHistory Snapshot(DateTimeOffset now)
    {
        Prune(now);
        return new RequestHistory([.. _requests], [.. _batches], now < _pausedUntil ? _pausedUntil : null);
    }

    /// <summary>
    /// Takes over another owner's history of the realm (its log and pause), merged with this one in time order, so the
    /// limits hold across a change of owner: a realm whose window the last owner filled stays full here until it moves.
    /// </summary>
    public void Absorb(RequestHistory history, DateTimeOffset now)
    {
        Merge(_requests, history.Requests);
        Merge(_batches, history.Batches);
        if (history.PausedUntil is { } pausedUntil && pausedUntil > _pausedUntil)
            _pausedUntil = pausedUntil;
        Prune(now);
    }

    private static void Merge(Queue<DateTimeOffset> log, IReadOnlyList<DateTimeOffset> more)
    {
        if (more.Count == 0)
            return;
        var merged = log.Concat(more).Order().ToList();
        log.Clear();
        foreach (var at in merged)
            log.Enqueue(at);
    }

    private void Prune(DateTimeOffset now)
    {
        while (_requests.Count > 0 && _requests.Peek() + Span <= now)
            _requests.Dequeue();
        while (_batches.Count > 0 && _batches.Peek() + Span <= now)
            _batches.Dequeue();
    }
}

/// <summary>A realm's recent requests and batch requests, and its pause, as one owner hands them to the next.</summary>
public sealed record RequestHistory(IReadOnlyList<DateTimeOffset> Requests, IReadOnlyList<DateTimeOffset> Batches, DateTimeOffset? PausedUntil)
{
    public static readonly RequestHistory Empty = new([], [], null);
}
