using QuoteToCash.BillingRules.Domain;

namespace QuoteToCash.BillingRules.Tests.Domain.ParallelRun;

/// <summary>March 2026 at the consulting firm: what the platform drafted next to what finance invoiced by hand.</summary>
public class ParallelRunDiffTests
{
    private static InvoiceFacts Invoice(string customer, string date, string? reference, params (string? Item, string Description, decimal Amount)[] lines) =>
        new(customer, DateOnly.Parse(date), lines.Sum(l => l.Amount), lines.Select(l => new InvoiceLineFacts(l.Item, l.Description, l.Amount)).ToList(), reference);

    private static readonly InvoiceFacts[] Drafted =
    [
        Invoice("58", "2026-03-16", "milestone:m2", ("21", "Milestone 2 of 3: Go-live", 7_400m)),
        Invoice("61", "2026-03-02", "fee:deposit", ("21", "Website rebuild: 50% on signing", 6_000m)),
        Invoice("64", "2026-03-31", "tm:2026-03-01", ("22", "Consulting", 4_350m), ("23", "Travel", 250m)),
        Invoice("70", "2026-03-20", "subscription:2026-03-20", ("24", "Support plan", 1_200m)),
    ];

    private static readonly InvoiceFacts[] HandMade =
    [
        Invoice("58", "2026-03-17", "1041", ("21", "ERP go-live", 7_400m)),
        Invoice("61", "2026-03-03", "1037", ("21", "Deposit", 5_500m)),
        Invoice("64", "2026-03-31", "1052", ("22", "Consulting", 4_100m), ("23", "Travel and expenses", 500m)),
        Invoice("75", "2026-03-25", "1049", ("25", "Training day", 1_800m)),
    ];

    [Fact]
    public void Each_invoice_lands_in_exactly_one_category()
    {
        var report = ParallelRunDiff.Compare(Drafted, HandMade);

        var matched = Assert.Single(report.Matched);
        Assert.Equal(("58", "milestone:m2", "1041", -1), (matched.CustomerRef, matched.DraftedReference, matched.HandMadeReference, matched.DaysApart));
        Assert.Empty(matched.Lines);

        var amount = Assert.Single(report.AmountDifferences);
        Assert.Equal(("61", 6_000m, 5_500m, 500m), (amount.CustomerRef, amount.DraftedTotal, amount.HandMadeTotal, amount.Difference));
        var amountLine = Assert.Single(amount.Lines);
        Assert.Equal(("21", 6_000m, 5_500m, 500m), (amountLine.ItemRef, amountLine.DraftedAmount, amountLine.HandMadeAmount, amountLine.Difference));

        var lines = Assert.Single(report.LineDifferences);
        Assert.Equal(("64", 0m), (lines.CustomerRef, lines.Difference));
        Assert.Equal([("22", 250m), ("23", -250m)], lines.Lines.Select(l => (l.ItemRef, l.Difference)));

        var extra = Assert.Single(report.Extra);
        Assert.Equal(("70", 1_200m, "subscription:2026-03-20"), (extra.CustomerRef, extra.Total, extra.Reference));
        var missing = Assert.Single(report.Missing);
        Assert.Equal(("75", 1_800m, "1049"), (missing.CustomerRef, missing.Total, missing.Reference));
    }

    [Fact]
    public void Each_category_has_its_totals()
    {
        var report = ParallelRunDiff.Compare(Drafted, HandMade);

        Assert.Equal((1, 7_400m, 7_400m, 0m), Totals(report.MatchedTotals));
        Assert.Equal((1, 6_000m, 5_500m, 500m), Totals(report.AmountDifferenceTotals));
        Assert.Equal((1, 4_600m, 4_600m, 0m), Totals(report.LineDifferenceTotals));
        Assert.Equal((1, 1_200m, 0m, 1_200m), Totals(report.ExtraTotals));
        Assert.Equal((1, 0m, 1_800m, -1_800m), Totals(report.MissingTotals));
    }

    [Fact]
    public void Dates_further_apart_than_the_tolerance_do_not_pair()
    {
        InvoiceFacts[] ours = [Invoice("58", "2026-03-16", "milestone:m2", ("21", "Go-live", 7_400m))];
        InvoiceFacts[] theirs = [Invoice("58", "2026-03-22", "1041", ("21", "ERP go-live", 7_400m))];

        var strict = ParallelRunDiff.Compare(ours, theirs);
        var lenient = ParallelRunDiff.Compare(ours, theirs, dateToleranceDays: 6);

        Assert.Empty(strict.Matched);
        Assert.Single(strict.Extra);
        Assert.Single(strict.Missing);
        Assert.Equal(-6, Assert.Single(lenient.Matched).DaysApart);
        Assert.Empty(lenient.Extra);
        Assert.Empty(lenient.Missing);
    }

    [Fact]
    public void Five_days_apart_is_within_the_default_tolerance()
    {
        InvoiceFacts[] ours = [Invoice("58", "2026-03-16", null, ("21", "Go-live", 7_400m))];
        InvoiceFacts[] theirs = [Invoice("58", "2026-03-11", "1041", ("21", "ERP go-live", 7_400m))];

        Assert.Equal(5, Assert.Single(ParallelRunDiff.Compare(ours, theirs).Matched).DaysApart);
    }

    [Fact]
    public void Invoices_of_different_customers_never_pair()
    {
        InvoiceFacts[] ours = [Invoice("58", "2026-03-16", "1041", ("21", "Go-live", 7_400m))];
        InvoiceFacts[] theirs = [Invoice("59", "2026-03-16", "1041", ("21", "Go-live", 7_400m))];

        var report = ParallelRunDiff.Compare(ours, theirs);

        Assert.Empty(report.Matched);
        Assert.Equal((1, 1), (report.Extra.Count, report.Missing.Count));
    }

    [Fact]
    public void The_same_reference_pairs_invoices_whatever_their_dates()
    {
        InvoiceFacts[] ours = [Invoice("58", "2026-03-02", "INV-00042", ("21", "Go-live", 7_400m))];
        InvoiceFacts[] theirs =
        [
            Invoice("58", "2026-03-02", "1040", ("21", "Go-live", 7_400m)),
            Invoice("58", "2026-03-20", "inv-00042 ", ("21", "Go-live", 7_400m)),
        ];

        var report = ParallelRunDiff.Compare(ours, theirs);

        Assert.Equal("inv-00042 ", Assert.Single(report.Matched).HandMadeReference);
        Assert.Equal("1040", Assert.Single(report.Missing).Reference);
    }

    [Fact]
    public void Among_several_candidates_the_same_total_wins_over_the_nearest_date()
    {
        InvoiceFacts[] ours = [Invoice("64", "2026-03-10", null, ("22", "Consulting", 2_000m))];
        InvoiceFacts[] theirs =
        [
            Invoice("64", "2026-03-10", "1044", ("22", "Consulting", 1_500m)),
            Invoice("64", "2026-03-13", "1045", ("22", "Consulting", 2_000m)),
        ];

        var report = ParallelRunDiff.Compare(ours, theirs);

        Assert.Equal("1045", Assert.Single(report.Matched).HandMadeReference);
        Assert.Equal("1044", Assert.Single(report.Missing).Reference);
    }

    [Fact]
    public void Lines_of_the_same_item_are_added_up_and_lines_without_an_item_compare_by_description()
    {
        InvoiceFacts[] ours = [Invoice("64", "2026-03-31", null, ("22", "Consulting, senior", 3_000m), ("22", "Consulting, junior", 1_000m), (null, "Printing", 40m))];
        InvoiceFacts[] theirs = [Invoice("64", "2026-03-31", "1052", ("22", "Consulting", 4_000m), (null, " printing ", 40m))];

        Assert.Single(ParallelRunDiff.Compare(ours, theirs).Matched);
    }

    [Fact]
    public void A_negative_tolerance_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ParallelRunDiff.Compare(Drafted, HandMade, dateToleranceDays: -1));
    }

    private static (int, decimal, decimal, decimal) Totals(ParallelRunTotals t) => (t.Count, t.Drafted, t.HandMade, t.Difference);
}
