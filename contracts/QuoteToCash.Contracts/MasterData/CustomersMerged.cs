namespace QuoteToCash.Contracts.MasterData;

/// <summary>
/// Finance merged one golden customer into another: the survivor keeps its ID and takes the merged customer's
/// cross-references and flows; the merged customer is inactive from then on. Not an <see cref="IFlowMessage"/>: a customer
/// spans many flows.
/// </summary>
public sealed record CustomersMerged
{
    public required string TenantId { get; init; }
    /// <summary>The customer that remains.</summary>
    public required Guid SurvivorId { get; init; }
    /// <summary>The customer merged away (now pointing to the survivor).</summary>
    public required Guid MergedId { get; init; }
    /// <summary>When the merge was made, on master-data's clock.</summary>
    public required DateTimeOffset MergedAt { get; init; }
    /// <summary>Who merged them.</summary>
    public required string MergedBy { get; init; }
    public string? Note { get; init; }
}
