using System.Globalization;
using System.Text;

namespace QuoteToCash.AccountingSync.Domain.Exceptions;

/// <summary>What the weekly report needs to know of one exception.</summary>
public sealed record ExceptionFacts(SyncExceptionKind Kind, RootCause RootCause, SyncExceptionStatus Status, int Occurrences,
    DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, bool ResolvedAutomatically);

public sealed record KindVolume(SyncExceptionKind Kind, int Opened, int Occurrences);

public sealed record RootCauseCount(RootCause RootCause, int Opened);

/// <summary>
/// The sync-exception report of one ISO week (Monday 00:00 UTC to the next Monday). Volume counts the exceptions opened in
/// the week (and how often each happened); time to resolve is measured on the exceptions resolved in the week, from
/// opening to resolution (ignored ones are left out: nothing was fixed); root causes rank the week's openings.
/// </summary>
public sealed record WeeklyExceptionReport(
    string Week,
    DateTimeOffset From,
    DateTimeOffset To,
    int Opened,
    int Resolved,
    int ResolvedAutomatically,
    int Ignored,
    int StillOpen,
    IReadOnlyList<KindVolume> VolumeByKind,
    TimeSpan? MedianTimeToResolve,
    TimeSpan? P90TimeToResolve,
    IReadOnlyList<RootCauseCount> TopRootCauses)
{
    /// <summary>How many root causes the report ranks.</summary>
    public const int TopRootCauseCount = 5;

    /// <summary>The week's start and end for "2026-W48" (ISO 8601 week-numbering year and week), or null when malformed.</summary>
    public static (DateTimeOffset From, DateTimeOffset To)? ParseWeek(string? week)
    {
        if (week is null || week.Length != 8 || week[4] != '-' || week[5] is not ('W' or 'w')
            || !int.TryParse(week.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(week.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || year < 2000 || year > 9998 || number < 1 || number > ISOWeek.GetWeeksInYear(year))
            return null;
        var monday = ISOWeek.ToDateTime(year, number, DayOfWeek.Monday);
        var from = new DateTimeOffset(monday, TimeSpan.Zero);
        return (from, from.AddDays(7));
    }

    /// <summary>"2026-W48" for the ISO week holding the instant (in UTC).</summary>
    public static string WeekOf(DateTimeOffset at)
    {
        var day = at.UtcDateTime;
        return $"{ISOWeek.GetYear(day):D4}-W{ISOWeek.GetWeekOfYear(day):D2}";
    }

    /// <param name="exceptions">At least every exception opened or closed in the week; others are ignored.</param>
    public static WeeklyExceptionReport For(string week, IEnumerable<ExceptionFacts> exceptions)
    {
        var (from, to) = ParseWeek(week) ?? throw new ArgumentException($"'{week}' is not an ISO week such as 2026-W48.", nameof(week));
        var all = exceptions.ToList();
        bool In(DateTimeOffset at) => at >= from && at < to;
        var opened = all.Where(e => In(e.OpenedAt)).ToList();
        var closed = all.Where(e => e.ClosedAt is { } at && In(at)).ToList();
        var resolved = closed.Where(e => e.Status == SyncExceptionStatus.Resolved).ToList();
        var durations = resolved.Select(e => e.ClosedAt!.Value - e.OpenedAt).Order().ToList();
        return new WeeklyExceptionReport(
            week.ToUpperInvariant(), from, to,
            opened.Count,
            resolved.Count,
            resolved.Count(e => e.ResolvedAutomatically),
            closed.Count(e => e.Status == SyncExceptionStatus.Ignored),
            opened.Count(e => e.ClosedAt is null || e.ClosedAt >= to),
            opened.GroupBy(e => e.Kind).Select(g => new KindVolume(g.Key, g.Count(), g.Sum(e => e.Occurrences)))
                .OrderByDescending(v => v.Opened).ThenBy(v => v.Kind).ToList(),
            Percentile(durations, 50),
            Percentile(durations, 90),
            opened.GroupBy(e => e.RootCause).Select(g => new RootCauseCount(g.Key, g.Count()))
                .OrderByDescending(c => c.Opened).ThenBy(c => c.RootCause).Take(TopRootCauseCount).ToList());
    }

    /// <summary>Nearest-rank percentile of sorted durations: the smallest value with at least p% of values at or below it.</summary>
    public static TimeSpan? Percentile(IReadOnlyList<TimeSpan> sorted, int percent)
    {
        if (sorted.Count == 0)
            return null;
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    /// <summary>The report as CSV (RFC 4180): one row per figure, <c>section,name,value</c>; durations in hours.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder("section,name,value\r\n");
        void Row(string section, string name, string value) => csv.Append(section).Append(',').Append(name).Append(',').Append(value).Append("\r\n");
        static string Hours(TimeSpan? span) => span is { } s ? s.TotalHours.ToString("0.00", CultureInfo.InvariantCulture) : string.Empty;
        Row("week", "week", Week);
        Row("week", "from", From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Row("week", "to", To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Row("summary", "opened", Opened.ToString(CultureInfo.InvariantCulture));
        Row("summary", "resolved", Resolved.ToString(CultureInfo.InvariantCulture));
        Row("summary", "resolved-automatically", ResolvedAutomatically.ToString(CultureInfo.InvariantCulture));
        Row("summary", "ignored", Ignored.ToString(CultureInfo.InvariantCulture));
        Row("summary", "still-open", StillOpen.ToString(CultureInfo.InvariantCulture));
        foreach (var volume in VolumeByKind)
        {
            Row("volume", volume.Kind.ToString(), volume.Opened.ToString(CultureInfo.InvariantCulture));
            Row("occurrences", volume.Kind.ToString(), volume.Occurrences.ToString(CultureInfo.InvariantCulture));
        }
        Row("time-to-resolve-hours", "median", Hours(MedianTimeToResolve));
        Row("time-to-resolve-hours", "p90", Hours(P90TimeToResolve));
        foreach (var cause in TopRootCauses)
            Row("root-cause", cause.RootCause.ToString(), cause.Opened.ToString(CultureInfo.InvariantCulture));
        return csv.ToString();
    }
}
