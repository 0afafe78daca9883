namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// Compares the invoices the platform drafted during a parallel run with those finance made by hand for the same
/// period (BIL-6).
/// </summary>
public static class ParallelRunDiff
{
    /// <summary>
    /// Pairs drafted and hand-made invoices, then sorts each pair into matched, amount or line differences; what is
    /// left over is missing (finance made it, the platform did not) or extra (the platform drafted it, finance did
    /// not). Invoices pair when they have the same customer and the same reference, or else the same customer and
    /// dates at most <paramref name="dateToleranceDays"/> apart; among several candidates, the same total wins, then
    /// the same lines, then the nearest date, then the nearest total. Customers and references compare without case
    /// and surrounding spaces.
    /// </summary>
    public static ParallelRunReport Compare(IEnumerable<InvoiceFacts> drafted, IEnumerable<InvoiceFacts> handMade, int dateToleranceDays = 5)
    {
        ArgumentNullException.ThrowIfNull(drafted);
        ArgumentNullException.ThrowIfNull(handMade);
        ArgumentOutOfRangeException.ThrowIfNegative(dateToleranceDays);
        var ours = drafted.ToList();
        var theirs = handMade.ToList();
        var ourPartner = new int?[ours.Count];
        var theirsTaken = new bool[theirs.Count];

        for (var i = 0; i < ours.Count; i++)
        {
            if (Key(ours[i].Reference) is not { } reference)
                continue;
            for (var j = 0; j < theirs.Count; j++)
            {
                if (theirsTaken[j] || !SameCustomer(ours[i], theirs[j]) || Key(theirs[j].Reference) != reference)
                    continue;
                ourPartner[i] = j;
                theirsTaken[j] = true;
                break;
            }
        }

        var candidates =
            from i in Enumerable.Range(0, ours.Count)
            where ourPartner[i] is null
            from j in Enumerable.Range(0, theirs.Count)
            where !theirsTaken[j] && SameCustomer(ours[i], theirs[j])
            let days = Math.Abs(ours[i].Date.DayNumber - theirs[j].Date.DayNumber)
            where days <= dateToleranceDays
            orderby ours[i].Total == theirs[j].Total ? 0 : 1,
                LineDifferences(ours[i], theirs[j]).Count == 0 ? 0 : 1,
                days,
                Math.Abs(ours[i].Total - theirs[j].Total),
                i,
                j
            select (i, j);
        foreach (var (i, j) in candidates.ToList())
        {
            if (ourPartner[i] is not null || theirsTaken[j])
                continue;
            ourPartner[i] = j;
            theirsTaken[j] = true;
        }

        var report = new ParallelRunReport();
        for (var i = 0; i < ours.Count; i++)
        {
            if (ourPartner[i] is not { } j)
            {
                report.Extra.Add(Single(ours[i]));
                continue;
            }
            var pair = Pair(ours[i], theirs[j]);
            if (pair.Difference != 0)
                report.AmountDifferences.Add(pair);
            else if (pair.Lines.Count > 0)
                report.LineDifferences.Add(pair);
            else
                report.Matched.Add(pair);
        }
        for (var j = 0; j < theirs.Count; j++)
        {
            if (!theirsTaken[j])
                report.Missing.Add(Single(theirs[j]));
        }

        report.MatchedTotals = Totals(report.Matched);
        report.AmountDifferenceTotals = Totals(report.AmountDifferences);
        report.LineDifferenceTotals = Totals(report.LineDifferences);
        report.ExtraTotals = new ParallelRunTotals
        {
            Count = report.Extra.Count,
            Drafted = report.Extra.Sum(x => x.Total),
            Difference = report.Extra.Sum(x => x.Total),
        };
        report.MissingTotals = new ParallelRunTotals
        {
            Count = report.Missing.Count,
            HandMade = report.Missing.Sum(x => x.Total),
            Difference = -report.Missing.Sum(x => x.Total),
        };
        return report;
    }

    private static ParallelRunPair Pair(InvoiceFacts ours, InvoiceFacts theirs) => new()
    {
        CustomerRef = ours.CustomerRef.Trim(),
        DraftedReference = ours.Reference,
        HandMadeReference = theirs.Reference,
        DraftedDate = ours.Date,
        HandMadeDate = theirs.Date,
        DaysApart = ours.Date.DayNumber - theirs.Date.DayNumber,
        DraftedTotal = ours.Total,
        HandMadeTotal = theirs.Total,
        Difference = ours.Total - theirs.Total,
        Lines = LineDifferences(ours, theirs),
    };

    private static ParallelRunInvoice Single(InvoiceFacts invoice) => new()
    {
        CustomerRef = invoice.CustomerRef.Trim(),
        Date = invoice.Date,
        Total = invoice.Total,
        Reference = invoice.Reference,
    };

    private static ParallelRunTotals Totals(List<ParallelRunPair> pairs) => new()
    {
        Count = pairs.Count,
        Drafted = pairs.Sum(p => p.DraftedTotal),
        HandMade = pairs.Sum(p => p.HandMadeTotal),
        Difference = pairs.Sum(p => p.Difference),
    };

    /// <summary>Amounts per item (or description, for lines without an item) on both sides, where they differ.</summary>
    private static List<ParallelRunLineDifference> LineDifferences(InvoiceFacts ours, InvoiceFacts theirs)
    {
        var byKey = new Dictionary<string, ParallelRunLineDifference>(StringComparer.Ordinal);
        var order = new List<string>();
        void Add(InvoiceLineFacts line, bool drafted)
        {
            var key = Key(line.ItemRef) is { } item ? "item:" + item : "text:" + (Key(line.Description) ?? string.Empty);
            if (!byKey.TryGetValue(key, out var entry))
            {
                entry = new ParallelRunLineDifference { ItemRef = line.ItemRef?.Trim(), Description = line.Description?.Trim() ?? string.Empty };
                byKey[key] = entry;
                order.Add(key);
            }
            if (drafted)
                entry.DraftedAmount += line.Amount;
            else
                entry.HandMadeAmount += line.Amount;
        }
        foreach (var line in ours.Lines)
            Add(line, drafted: true);
        foreach (var line in theirs.Lines)
            Add(line, drafted: false);

        var differences = new List<ParallelRunLineDifference>();
        foreach (var key in order)
        {
            var entry = byKey[key];
            entry.Difference = entry.DraftedAmount - entry.HandMadeAmount;
            if (entry.Difference != 0)
                differences.Add(entry);
        }
        return differences;
    }

    private static bool SameCustomer(InvoiceFacts a, InvoiceFacts b) => Key(a.CustomerRef) is { } key && key == Key(b.CustomerRef);

    private static string? Key(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToUpperInvariant();
}
