using QuoteToCash.AccountingSync.Domain;

namespace QuoteToCash.AccountingSync.Tests.Domain;

public class RequestWindowTests
{
    private static readonly DateTimeOffset Nine = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static RequestWindow Window(int perMinute = 500, int batches = 40, TimeSpan? margin = null) => new(new QboLimits
    {
        RequestsPerMinute = perMinute,
        BatchesPerMinute = batches,
        SafetyMargin = margin ?? TimeSpan.Zero,
    });

    [Fact]
    public void Requests_go_at_once_while_the_window_has_room()
    {
        var window = Window(perMinute: 3);

        Assert.True(window.TryTake(Nine, batch: false, out var wait));
        Assert.Equal(TimeSpan.Zero, wait);
        Assert.Equal(2, window.Headroom(Nine));
    }

    [Fact]
    public void The_request_after_the_limit_waits_until_the_oldest_leaves_the_window()
    {
        var window = Window(perMinute: 3);
        window.TryTake(Nine, false, out _);
        window.TryTake(Nine.AddSeconds(10), false, out _);
        window.TryTake(Nine.AddSeconds(20), false, out _);

        Assert.False(window.TryTake(Nine.AddSeconds(30), false, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(30), wait);
        Assert.Equal(0, window.Headroom(Nine.AddSeconds(30)));

        Assert.True(window.TryTake(Nine.AddSeconds(60), false, out _));
        Assert.Equal(TimeSpan.FromSeconds(10), window.WaitBeforeNext(Nine.AddSeconds(60), false));
    }

    [Fact]
    public void The_safety_margin_lengthens_the_window()
    {
        var window = Window(perMinute: 1, margin: TimeSpan.FromMilliseconds(500));
        window.TryTake(Nine, false, out _);

        Assert.Equal(TimeSpan.FromMilliseconds(500), window.WaitBeforeNext(Nine.AddMinutes(1), false));
        Assert.Equal(TimeSpan.Zero, window.WaitBeforeNext(Nine.AddMinutes(1).AddMilliseconds(500), false));
    }

    [Fact]
    public void Batches_have_their_own_limit_and_count_as_requests()
    {
        var window = Window(perMinute: 10, batches: 2);
        window.TryTake(Nine, batch: true, out _);
        window.TryTake(Nine, batch: true, out _);

        Assert.False(window.TryTake(Nine, batch: true, out var batchWait));
        Assert.Equal(TimeSpan.FromMinutes(1), batchWait);
        Assert.True(window.TryTake(Nine, batch: false, out _));
        Assert.Equal(7, window.Headroom(Nine));
    }

    [Fact]
    public void Batch_headroom_is_what_is_left_of_both_budgets_and_returns_as_the_window_slides()
    {
        var window = Window(perMinute: 10, batches: 4);
        Assert.Equal(4, window.BatchHeadroom(Nine));
        window.TryTake(Nine, batch: true, out _);
        window.TryTake(Nine.AddSeconds(10), batch: true, out _);
        Assert.Equal(2, window.BatchHeadroom(Nine.AddSeconds(10)));
        for (var i = 0; i < 7; i++)
            window.TryTake(Nine.AddSeconds(20), batch: false, out _);
        Assert.Equal(1, window.BatchHeadroom(Nine.AddSeconds(20))); // one request left in all
        Assert.Equal(2, window.BatchHeadroom(Nine.AddSeconds(61)));  // the first batch has left the window
    }

    [Fact]
    public void A_throttled_realm_has_no_batch_headroom()
    {
        var window = Window();
        window.Throttled(Nine, TimeSpan.FromSeconds(90));
        Assert.Equal(0, window.BatchHeadroom(Nine.AddSeconds(30)));
    }

    [Fact]
    public void A_refused_request_is_not_counted()
    {
        var window = Window(perMinute: 1);
        window.TryTake(Nine, false, out _);
        Assert.False(window.TryTake(Nine.AddSeconds(1), false, out _));
        Assert.False(window.TryTake(Nine.AddSeconds(2), false, out _));

        Assert.Equal(1, window.Headroom(Nine.AddMinutes(1)));
    }

    [Fact]
    public void A_429_pauses_for_the_back_off_or_a_longer_retry_after_and_is_never_shortened()
    {
        var window = Window();
        window.Throttled(Nine, retryAfter: TimeSpan.FromSeconds(5));
        Assert.Equal(Nine.AddSeconds(60), window.PausedUntil(Nine));
        Assert.Equal(TimeSpan.FromSeconds(60), window.WaitBeforeNext(Nine, false));
        Assert.Equal(0, window.Headroom(Nine.AddSeconds(59)));

        window.Throttled(Nine.AddSeconds(1), retryAfter: TimeSpan.FromSeconds(120));
        Assert.Equal(Nine.AddSeconds(121), window.PausedUntil(Nine.AddSeconds(1)));

        window.Throttled(Nine.AddSeconds(2), retryAfter: null);
        Assert.Equal(Nine.AddSeconds(121), window.PausedUntil(Nine.AddSeconds(2)));

        Assert.Null(window.PausedUntil(Nine.AddSeconds(121)));
        Assert.True(window.TryTake(Nine.AddSeconds(121), false, out _));
    }

    [Fact]
    public void A_new_owner_that_takes_over_a_full_window_waits_for_it_to_move_as_the_last_owner_would_have()
    {
        var start = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var last = Window(perMinute: 3, batches: 2, margin: TimeSpan.Zero);
        for (var i = 0; i < 3; i++)
            Assert.True(last.TryTake(start.AddSeconds(i * 10), batch: i < 2, out _));
        var history = last.Snapshot(start.AddSeconds(25));

        var next = Window(perMinute: 3, batches: 2, margin: TimeSpan.Zero);
        next.Absorb(history, start.AddSeconds(30));

        Assert.Equal((0, 0), (next.Headroom(start.AddSeconds(30)), next.BatchHeadroom(start.AddSeconds(30))));
        Assert.Equal(TimeSpan.FromSeconds(30), next.WaitBeforeNext(start.AddSeconds(30), batch: false)); // the first request leaves the window at 60 s
        Assert.Equal((1, 1), (next.Headroom(start.AddSeconds(60)), next.BatchHeadroom(start.AddSeconds(60))));
    }

    [Fact]
    public void A_takeover_merges_both_logs_in_time_order_and_keeps_the_later_pause()
    {
        var start = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var next = Window(perMinute: 4, margin: TimeSpan.Zero);
        Assert.True(next.TryTake(start.AddSeconds(20), batch: false, out _));
        var history = new RequestHistory([start, start.AddSeconds(40)], [], start.AddSeconds(90));

        next.Absorb(history, start.AddSeconds(45));

        Assert.Equal([start, start.AddSeconds(20), start.AddSeconds(40)], next.Snapshot(start.AddSeconds(45)).Requests);
        Assert.Equal(start.AddSeconds(90), next.PausedUntil(start.AddSeconds(45)));
        Assert.Equal(0, next.Headroom(start.AddSeconds(45))); // paused: nothing goes
        Assert.Equal(3, next.Headroom(start.AddSeconds(90))); // the pause is over and the requests at 0 s and 20 s have left the window
    }

    [Fact]
    public void A_snapshot_holds_only_what_still_counts()
    {
        var start = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var window = Window(margin: TimeSpan.Zero);
        Assert.True(window.TryTake(start, batch: true, out _));
        Assert.True(window.TryTake(start.AddSeconds(50), batch: false, out _));

        var history = window.Snapshot(start.AddSeconds(61));

        Assert.Equal([start.AddSeconds(50)], history.Requests);
        Assert.Equal((0, (DateTimeOffset?)null), (history.Batches.Count, history.PausedUntil));
    }
}
