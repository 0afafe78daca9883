namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>A sync exception is still open (or assigned) past its SLA.</summary>
public sealed record ExceptionSlaBreached
{
    public required string TenantId { get; init; }
    public required Guid ExceptionId { get; init; }
    /// <summary>MappingMissing, DuplicateName, Validation, StaleObject, AuthorizationExpired, RateLimited, QboUnavailable, ManualEditConflict, ReconciliationDrift or PoisonMessage.</summary>
    public required string Kind { get; init; }
    public Guid? FlowId { get; init; }
    /// <summary>The CRM deal as "source:externalId", when the exception belongs to a deal.</summary>
    public string? DealRef { get; init; }
    public string? Owner { get; init; }
    public required DateTimeOffset OpenedAt { get; init; }
    public required DateTimeOffset SlaDue { get; init; }
    public required DateTimeOffset DetectedAt { get; init; }
}
