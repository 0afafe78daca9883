using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Messages;

/// <summary>Finance (or a fixed mapping) releases a held flow: drafting and posting are tried again.</summary>
public sealed record RetryHeldFlow : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string Reason { get; init; }
    public string? By { get; init; }
}
