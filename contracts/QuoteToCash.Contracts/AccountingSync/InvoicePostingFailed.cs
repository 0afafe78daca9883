namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>QuickBooks refused an invoice for a reason a retry cannot fix; finance must act.</summary>
public sealed record InvoicePostingFailed : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
    /// <summary>The platform's error kind, e.g. Validation, NotFound, Authentication.</summary>
    public required string Kind { get; init; }
    public string? Code { get; init; }
    public required string Message { get; init; }
    public required DateTimeOffset FailedAt { get; init; }
}
