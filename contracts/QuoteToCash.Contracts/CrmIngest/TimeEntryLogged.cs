namespace QuoteToCash.Contracts.CrmIngest;

/// <summary>Time worked on a deal's project, for time-and-materials and retainer billing.</summary>
public sealed record TimeEntryLogged : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string SourceSystem { get; init; }
    public required string ExternalDealId { get; init; }
    public required string EntryId { get; init; }
    public required string Person { get; init; }
    /// <summary>The person's role on the rate card (e.g. "senior"); the rate card decides the rate when the entry has none.</summary>
    public string? Role { get; init; }
    public required DateOnly Date { get; init; }
    public decimal Hours { get; init; }
    public bool Billable { get; init; }
    /// <summary>Hourly rate when the source knows it; otherwise the rate card decides.</summary>
    public decimal? Rate { get; init; }
    public string? Description { get; init; }
}
