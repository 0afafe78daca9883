using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Messages;

/// <summary>A scheduled look at whether the flow has moved since it entered its stage.</summary>
public sealed record CheckFlowProgress : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string Stage { get; init; }
    public required DateTime Since { get; init; }
}
