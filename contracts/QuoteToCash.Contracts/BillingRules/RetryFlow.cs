namespace QuoteToCash.Contracts.BillingRules;

/// <summary>
/// Command to billing-rules: a finance user asked to retry a held flow (from the exception queue). Billing lifts the
/// hold if its reason allows finance to, and posts what is due; an invoice already posted is never posted again.
/// </summary>
public sealed record RetryFlow : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string RequestedBy { get; init; }
    public Guid? ExceptionId { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}
