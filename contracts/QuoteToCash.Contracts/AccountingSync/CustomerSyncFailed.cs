namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>QuickBooks refused the customer; the reason is written for finance.</summary>
public sealed record CustomerSyncFailed
{
    public required string TenantId { get; init; }
    public required Guid CustomerId { get; init; }
    public required int Revision { get; init; }
    /// <summary>The fault kind (Validation, DuplicateName, Authentication, NotConnected, …).</summary>
    public required string Kind { get; init; }
    public string? Code { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset FailedAt { get; init; }
}
