namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>The time entry is in QuickBooks as a TimeActivity.</summary>
public sealed record TimeActivityPosted : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string TimeEntryId { get; init; }
    public required string AccountingTimeActivityId { get; init; }
    public required DateTimeOffset PostedAt { get; init; }
}
