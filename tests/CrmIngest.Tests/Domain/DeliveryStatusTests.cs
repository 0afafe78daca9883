using QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.CrmIngest.Tests.Domain;

public sealed class DeliveryStatusTests
{
    private static IEnumerable<IReadOnlyList<T>> Permutations<T>(IReadOnlyList<T> items) =>
        items.Count <= 1 ? [items] : items.SelectMany((item, i) => Permutations(items.Where((_, j) => j != i).ToList()).Select(rest => (IReadOnlyList<T>)[item, .. rest]));

    [Fact]
    public void The_status_is_the_same_whatever_order_the_events_were_processed_in()
    {
        EventResult[] results =
        [
            new("Processed", null, true),
            new("Ignored", "Stage 'Negotiation' is not a billing trigger.", false),
            new("Refused", "billing.milestones: the percentages add up to 90 %", false),
        ];

        var folded = Permutations(results).Select(order => DeliveryStatus.Fold("Received", null, order)).Distinct().ToList();

        Assert.Equal(("Refused", "billing.milestones: the percentages add up to 90 %"), Assert.Single(folded));
    }

    [Fact]
    public void A_failure_outranks_a_refusal_and_processing_outranks_an_ignored_event()
    {
        Assert.Equal("Failed", DeliveryStatus.Fold("Received", null, [new("Refused", "r", false), new("Failed", "f", false)]).Status);
        Assert.Equal(("Processed", "Stage x"), DeliveryStatus.Fold("Received", null, [new("Ignored", "Stage x", false), new("Processed", null, true)]));
    }

    [Fact]
    public void Without_outcomes_the_intake_status_and_note_stand()
    {
        Assert.Equal(("WrongPortal", "2 event(s) refused"), DeliveryStatus.Fold("WrongPortal", "2 event(s) refused", []));
    }

    [Fact]
    public void Distinct_notes_of_the_top_rank_are_all_shown_up_to_a_limit()
    {
        var results = Enumerable.Range(1, 8).Select(i => new EventResult("Ignored", $"Record {i} does not exist.", false))
            .Append(new EventResult("Ignored", "Record 1 does not exist.", false)).ToList();

        var (status, error) = DeliveryStatus.Fold("Received", null, results);

        Assert.Equal("Ignored", status);
        Assert.StartsWith("Record 1 does not exist. Record 2 does not exist.", error);
        Assert.EndsWith("(and 3 more)", error);
    }
}
