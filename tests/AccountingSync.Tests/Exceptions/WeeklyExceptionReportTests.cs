using QuoteToCash.AccountingSync.Domain.Exceptions;

namespace QuoteToCash.AccountingSync.Tests.Exceptions;

/// <summary>The weekly sync-exception report's figures, worked out by hand for one week of the firm's queue (2026-W48: 23–30 November).</summary>
public sealed class WeeklyExceptionReportTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    private static ExceptionFacts Fact(SyncExceptionKind kind, double openedHours, double? closedHours, SyncExceptionStatus status, int occurrences = 1,
        bool automatic = false) =>
        new(kind, ExceptionRules.RootCauseOf(kind), status, occurrences, Monday.AddHours(openedHours), closedHours is { } c ? Monday.AddHours(c) : null, automatic);

    private static readonly ExceptionFacts[] Week48 =
    [
        Fact(SyncExceptionKind.MappingMissing, 1, 3, SyncExceptionStatus.Resolved, occurrences: 2),          // 2 h
        Fact(SyncExceptionKind.MappingMissing, 10, 20, SyncExceptionStatus.Resolved),                        // 10 h
        Fact(SyncExceptionKind.MappingMissing, 30, null, SyncExceptionStatus.Open),
        Fact(SyncExceptionKind.QboUnavailable, 40, 41, SyncExceptionStatus.Resolved, occurrences: 5, automatic: true), // 1 h
        Fact(SyncExceptionKind.Validation, 50, 54, SyncExceptionStatus.Resolved),                            // 4 h
        Fact(SyncExceptionKind.Validation, 60, 200, SyncExceptionStatus.Resolved),                           // closed the week after
        Fact(SyncExceptionKind.DuplicateName, 70, 71, SyncExceptionStatus.Ignored),
        Fact(SyncExceptionKind.PoisonMessage, -30, 5, SyncExceptionStatus.Resolved),                         // opened the week before: 35 h
        Fact(SyncExceptionKind.Validation, -200, null, SyncExceptionStatus.Open),                            // neither opened nor closed this week
    ];

    [Fact]
    public void Volume_counts_the_week_s_openings_by_kind_with_their_occurrences()
    {
        var report = WeeklyExceptionReport.For("2026-W48", Week48);

        Assert.Equal((7, Monday, Monday.AddDays(7)), (report.Opened, report.From, report.To));
        Assert.Equal([(SyncExceptionKind.MappingMissing, 3, 4), (SyncExceptionKind.Validation, 2, 2), (SyncExceptionKind.DuplicateName, 1, 1),
                      (SyncExceptionKind.QboUnavailable, 1, 5)],
            report.VolumeByKind.Select(v => (v.Kind, v.Opened, v.Occurrences)));
    }

    [Fact]
    public void Time_to_resolve_is_the_median_and_p90_of_the_week_s_resolutions_without_ignored_ones()
    {
        var report = WeeklyExceptionReport.For("2026-W48", Week48);

        // Resolved in the week: 1 h, 2 h, 4 h, 10 h, 35 h; the ignored one and the one resolved the next week do not count.
        Assert.Equal((5, 1, 1), (report.Resolved, report.ResolvedAutomatically, report.Ignored));
        Assert.Equal(TimeSpan.FromHours(4), report.MedianTimeToResolve);
        Assert.Equal(TimeSpan.FromHours(35), report.P90TimeToResolve);
        Assert.Equal(2, report.StillOpen); // opened this week and not closed by its end: one open, one resolved the week after
    }

    [Fact]
    public void Root_causes_are_ranked_by_the_week_s_openings()
    {
        var report = WeeklyExceptionReport.For("2026-W48", Week48);

        Assert.Equal([(RootCause.MasterData, 4), (RootCause.QuickBooksRules, 2), (RootCause.QuickBooksAvailability, 1)],
            report.TopRootCauses.Select(c => (c.RootCause, c.Opened)));
    }

    [Fact]
    public void An_empty_week_has_no_times_rather_than_zero()
    {
        var report = WeeklyExceptionReport.For("2026-W01", Week48);

        Assert.Equal((0, (TimeSpan?)null, (TimeSpan?)null), (report.Opened, report.MedianTimeToResolve, report.P90TimeToResolve));
        Assert.Empty(report.VolumeByKind);
    }

    [Fact]
    public void The_CSV_has_one_row_per_figure_with_hours_in_invariant_culture()
    {
        var csv = WeeklyExceptionReport.For("2026-W48", Week48).ToCsv().Split("\r\n");

        Assert.Equal("section,name,value", csv[0]);
        Assert.Contains("week,from,2026-11-23", csv);
        Assert.Contains("volume,MappingMissing,3", csv);
        Assert.Contains("occurrences,QboUnavailable,5", csv);
        Assert.Contains("time-to-resolve-hours,median,4.00", csv);
        Assert.Contains("time-to-resolve-hours,p90,35.00", csv);
        Assert.Contains("root-cause,MasterData,4", csv);
        Assert.Contains("summary,resolved-automatically,1", csv);
    }

    [Theory]
    [InlineData("2026-W48", "2026-11-23")]
    [InlineData("2026-w01", "2025-12-29")] // ISO week 1 of 2026 starts in 2025
    [InlineData("2020-W53", "2020-12-28")]
    public void Weeks_are_ISO_weeks(string week, string monday) =>
        Assert.Equal(DateTimeOffset.Parse(monday + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), WeeklyExceptionReport.ParseWeek(week)!.Value.From);

    [Theory]
    [InlineData("2026-48")]
    [InlineData("2026-W54")]
    [InlineData("2026-W00")]
    [InlineData("2025-W53")] // 2025 has 52 ISO weeks
    [InlineData("W48")]
    [InlineData(null)]
    public void Anything_else_is_not_a_week(string? week) => Assert.Null(WeeklyExceptionReport.ParseWeek(week));

    [Fact]
    public void The_current_week_is_named_the_ISO_way() =>
        Assert.Equal("2026-W01", WeeklyExceptionReport.WeekOf(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero)));
}
