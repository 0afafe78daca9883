using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Messages;

/// <summary>The contract's next dated charge is due: close periods, bill dated instalments and renewals.</summary>
public sealed record AdvanceContract : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required DateOnly On { get; init; }
}
