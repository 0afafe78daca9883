namespace QuoteToCash.Contracts.CrmIngest;

/// <summary>A won deal left the won stage.</summary>
public sealed record DealLost : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string ExternalDealId { get; init; }
    public required DateTimeOffset LostAt { get; init; }
}
