namespace QuoteToCash.WebApp.Models;

/// <summary>Durations and deadlines in the words a finance user reads at a glance.</summary>
public static class Durations
{
    /// <summary>"2 d 3 h", "5 h 10 min", "45 min", "less than a minute".</summary>
    public static string Words(TimeSpan span)
    {
        span = span.Duration();
        if (span.TotalDays >= 1)
            return span.Hours == 0 ? $"{(int)span.TotalDays} d" : $"{(int)span.TotalDays} d {span.Hours} h";
        if (span.TotalHours >= 1)
            return span.Minutes == 0 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalHours} h {span.Minutes} min";
        return span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes} min" : "less than a minute";
    }

    /// <summary>An SLA countdown: how long is left, or how far past due it is.</summary>
    public static SlaCountdown Sla(DateTimeOffset due, DateTimeOffset now, bool closed = false)
    {
        if (closed)
            return new SlaCountdown("closed", "done");
        var left = due - now;
        if (left <= TimeSpan.Zero)
            return new SlaCountdown($"overdue by {Words(left)}", "breached");
        return left <= TimeSpan.FromHours(4)
            ? new SlaCountdown($"due in {Words(left)}", "soon")
            : new SlaCountdown($"due in {Words(left)}", "ok");
    }
}

/// <summary>An SLA countdown's text and its state (ok, soon, breached, done) for styling.</summary>
public sealed record SlaCountdown(string Text, string State);
