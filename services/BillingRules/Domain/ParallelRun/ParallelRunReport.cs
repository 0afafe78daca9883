namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// The parallel run's diff (BIL-6) between what the platform drafted and what finance invoiced by hand for the same
/// period, by category, each with its totals. A pair of invoices is in exactly one of <see cref="Matched"/>,
/// <see cref="AmountDifferences"/> (totals differ) or <see cref="LineDifferences"/> (same total, different lines).
/// </summary>
public sealed class ParallelRunReport
{
    /// <summary>Same customer, date within tolerance, same total and same lines.</summary>
    public List<ParallelRunPair> Matched { get; set; } = [];
    /// <summary>Finance made it, the platform did not draft it.</summary>
    public List<ParallelRunInvoice> Missing { get; set; } = [];
    /// <summary>The platform drafted it, finance did not make it.</summary>
    public List<ParallelRunInvoice> Extra { get; set; } = [];
    public List<ParallelRunPair> AmountDifferences { get; set; } = [];
    public List<ParallelRunPair> LineDifferences { get; set; } = [];

    public ParallelRunTotals MatchedTotals { get; set; } = new();
    public ParallelRunTotals MissingTotals { get; set; } = new();
    public ParallelRunTotals ExtraTotals { get; set; } = new();
    public ParallelRunTotals AmountDifferenceTotals { get; set; } = new();
    public ParallelRunTotals LineDifferenceTotals { get; set; } = new();
}

/// <summary>An invoice of one side only.</summary>
public sealed class ParallelRunInvoice
{
    public string CustomerRef { get; set; } = string.Empty;
    public DateOnly Date { get; set; }
    public decimal Total { get; set; }
    public string? Reference { get; set; }
}

/// <summary>A drafted invoice paired with the hand-made one it stands for, and how they differ.</summary>
public sealed class ParallelRunPair
{
    public string CustomerRef { get; set; } = string.Empty;
    public string? DraftedReference { get; set; }
    public string? HandMadeReference { get; set; }
    public DateOnly DraftedDate { get; set; }
    public DateOnly HandMadeDate { get; set; }
    /// <summary>Drafted date − hand-made date, in days.</summary>
    public int DaysApart { get; set; }
    public decimal DraftedTotal { get; set; }
    public decimal HandMadeTotal { get; set; }
    /// <summary>Drafted total − hand-made total.</summary>
    public decimal Difference { get; set; }
    /// <summary>The items (or descriptions) whose amounts differ; empty when the lines agree.</summary>
    public List<ParallelRunLineDifference> Lines { get; set; } = [];
}

/// <summary>One item's amounts on both sides of a pair (lines of the same item are added up); 0 where a side has none.</summary>
public sealed class ParallelRunLineDifference
{
    public string? ItemRef { get; set; }
    public string Description { get; set; } = string.Empty;
    public decimal DraftedAmount { get; set; }
    public decimal HandMadeAmount { get; set; }
    /// <summary>Drafted − hand-made.</summary>
    public decimal Difference { get; set; }
}

/// <summary>How many invoices a category holds and what they add up to on each side.</summary>
public sealed class ParallelRunTotals
{
    public int Count { get; set; }
    public decimal Drafted { get; set; }
    public decimal HandMade { get; set; }
    /// <summary>Drafted − hand-made.</summary>
    public decimal Difference { get; set; }
}
