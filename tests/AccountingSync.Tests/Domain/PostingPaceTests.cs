using QuoteToCash.AccountingSync.Domain;

namespace QuoteToCash.AccountingSync.Tests.Domain;

public sealed class PostingPaceTests
{
    /// <summary>QuickBooks' 40 batch requests a minute, with <paramref name="batchHeadroom"/> still free (by default most are spent).</summary>
    private static bool Linger(int queued, int previous, double lingeredSeconds, int batchHeadroom = 12) =>
        PostingPace.ShouldLinger(queued, previous, TimeSpan.FromSeconds(lingeredSeconds), batchThreshold: 2, batchSize: 30, maxLinger: TimeSpan.FromSeconds(2),
            batchHeadroom, batchesPerWindow: 40);

    [Fact]
    public void A_lone_invoice_is_posted_at_once() => Assert.False(Linger(queued: 1, previous: -1, lingeredSeconds: 0));

    [Fact]
    public void A_growing_part_filled_batch_waits_for_more() => Assert.True(Linger(queued: 5, previous: 2, lingeredSeconds: 0.5));

    [Fact]
    public void The_first_look_at_a_backlog_waits_once_to_see_whether_it_grows() => Assert.True(Linger(queued: 3, previous: -1, lingeredSeconds: 0));

    [Fact]
    public void A_queue_that_stopped_growing_is_sent() => Assert.False(Linger(queued: 5, previous: 5, lingeredSeconds: 0.25));

    [Fact]
    public void A_full_batch_is_sent() => Assert.False(Linger(queued: 30, previous: 10, lingeredSeconds: 0.25));

    [Fact]
    public void The_wait_ends_after_the_longest_linger_even_while_invoices_keep_arriving() =>
        Assert.False(Linger(queued: 25, previous: 20, lingeredSeconds: 2));

    [Fact]
    public void With_most_of_the_batch_budget_free_a_part_filled_batch_goes_at_once() =>
        Assert.False(Linger(queued: 5, previous: 2, lingeredSeconds: 0, batchHeadroom: 20));

    [Fact]
    public void Once_half_the_batch_budget_is_spent_a_growing_batch_waits() =>
        Assert.True(Linger(queued: 5, previous: 2, lingeredSeconds: 0, batchHeadroom: 19));
}
