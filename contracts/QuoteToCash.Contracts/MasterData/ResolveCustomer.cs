namespace QuoteToCash.Contracts.MasterData;

/// <summary>Command to master-data: find or create the golden customer for a deal's customer snapshot.</summary>
public sealed record ResolveCustomer : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string SourceSystem { get; init; }
    public required CustomerSnapshot Customer { get; init; }
}
