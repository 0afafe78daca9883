using QuoteToCash.AccountingSync.Domain.Inbound;

namespace QuoteToCash.AccountingSync.Tests.Inbound;

/// <summary>QuickBooks' CDC answers 30 days back at most, 1,000 objects at most, and has no upper bound to page with.</summary>
public class CdcWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(10);

    [Fact]
    public void A_recent_watermark_is_read_from_as_it_is()
    {
        var watermark = Now.AddMinutes(-15);

        Assert.Equal(new CdcWindowPlan(watermark, false), CdcWindow.Plan(watermark, Now.AddDays(-1), Now, CdcWindow.QuickBooksLookBack, Margin));
    }

    [Fact]
    public void The_first_sweep_starts_at_its_look_back_and_never_beyond_thirty_days()
    {
        Assert.Equal(new CdcWindowPlan(Now.AddDays(-1), false), CdcWindow.Plan(null, Now.AddDays(-1), Now, CdcWindow.QuickBooksLookBack, Margin));
        Assert.Equal(new CdcWindowPlan(Now.AddDays(-30) + Margin, false), CdcWindow.Plan(null, Now.AddDays(-90), Now, CdcWindow.QuickBooksLookBack, Margin));
    }

    [Fact]
    public void A_watermark_older_than_the_look_back_is_moved_inside_it_and_reports_a_gap()
    {
        var plan = CdcWindow.Plan(Now.AddDays(-45), Now.AddDays(-1), Now, CdcWindow.QuickBooksLookBack, Margin);

        Assert.Equal(new CdcWindowPlan(Now.AddDays(-30) + Margin, true), plan);
    }

    [Fact]
    public void An_answer_under_the_cap_moves_the_watermark_to_quickbooks_own_time()
    {
        var since = Now.AddHours(-1);
        var serverTime = new DateTimeOffset(2026, 3, 2, 1, 0, 3, TimeSpan.FromHours(-8));

        Assert.Equal(new CdcStep(serverTime, false, false), CdcWindow.Next(since, serverTime, 999, 1000, Now.AddMinutes(-1)));
    }

    [Fact]
    public void A_capped_answer_narrows_the_window_to_start_at_its_newest_change()
    {
        var since = Now.AddHours(-1);
        var newest = Now.AddMinutes(-20).AddMilliseconds(450);

        Assert.Equal(new CdcStep(CdcWindow.Truncate(newest), true, false), CdcWindow.Next(since, Now, 1000, 1000, newest));
    }

    [Fact]
    public void A_capped_answer_within_one_second_steps_past_it_and_reports_a_gap()
    {
        var since = Now.AddHours(-1);

        Assert.Equal(new CdcStep(since.AddSeconds(1), true, true), CdcWindow.Next(since, Now, 1000, 1000, since.AddMilliseconds(300)));
    }
}
