namespace QuoteToCash.Contracts;

/// <summary>A prepaid retainer: a deposit invoiced upfront, drawn down by billable time, replenished below a threshold.</summary>
public sealed record RetainerTerms
{
    public decimal Deposit { get; init; }
    /// <summary>When the balance falls below this, a replenishment invoice is drafted.</summary>
    public decimal Threshold { get; init; }
    /// <summary>The replenishment amount; the deposit when not given.</summary>
    public decimal? Replenishment { get; init; }
}
