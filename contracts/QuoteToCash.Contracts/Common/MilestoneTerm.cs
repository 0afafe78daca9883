namespace QuoteToCash.Contracts;

/// <summary>One milestone of a milestone plan: invoiced when its <c>MilestoneReached</c> arrives.</summary>
public sealed record MilestoneTerm
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public decimal? Percent { get; init; }
    public decimal? Amount { get; init; }
}
