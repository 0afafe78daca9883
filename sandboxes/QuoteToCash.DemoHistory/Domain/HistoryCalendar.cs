namespace QuoteToCash.DemoHistory.Domain;

/// <summary>
/// The days a history covers: from the Monday <c>weeks</c> weeks before the last day up to the last day (today). The
/// firm works Monday to Friday; the clock steps over weekends in one move.
/// </summary>
public sealed record HistoryCalendar(DateOnly Start, DateOnly End)
{
    public static HistoryCalendar Ending(DateOnly today, int weeks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(weeks, 1);
        var start = today.AddDays(-7 * weeks);
        start = start.AddDays(-(((int)start.DayOfWeek + 6) % 7));
        return new HistoryCalendar(start, today);
    }

    public static bool IsBusinessDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>Every working day from the start to the end, in order (the end day too, whatever day it is).</summary>
    public IEnumerable<DateOnly> Days()
    {
        for (var day = Start; day <= End; day = day.AddDays(1))
            if (IsBusinessDay(day) || day == End)
                yield return day;
    }

    /// <summary>The working day <paramref name="days"/> working days after <paramref name="day"/> (a weekend day counts from the Monday after).</summary>
    public static DateOnly AddBusinessDays(DateOnly day, int days)
    {
        while (!IsBusinessDay(day))
            day = day.AddDays(1);
        for (var added = 0; added < days;)
        {
            day = day.AddDays(1);
            if (IsBusinessDay(day))
                added++;
        }
        return day;
    }

    /// <summary>The day itself when it is a working day, else the Monday after.</summary>
    public static DateOnly OnOrAfter(DateOnly day) => AddBusinessDays(day, 0);

    public bool Contains(DateOnly day) => day >= Start && day <= End;
}
