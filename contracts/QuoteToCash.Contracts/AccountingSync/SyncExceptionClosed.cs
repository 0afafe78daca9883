namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>
/// A record of finance's exception queue was closed: resolved (by a person, or automatically by a later success) or
/// ignored (with a reason). Carries what <see cref="SyncExceptionOpened"/> did, so a reader that missed the opening still
/// has the whole record.
/// </summary>
public sealed record SyncExceptionClosed
{
    public const string Resolved = "Resolved";
    public const string Ignored = "Ignored";

    public required string TenantId { get; init; }
    public required Guid ExceptionId { get; init; }
    public required string Kind { get; init; }
    public required string RootCause { get; init; }
    public required string Entity { get; init; }
    public required string EntityId { get; init; }
    public required string Operation { get; init; }
    public Guid? FlowId { get; init; }
    public string? DealRef { get; init; }
    public string? Owner { get; init; }
    public required DateTimeOffset OpenedAt { get; init; }
    public required DateTimeOffset SlaDue { get; init; }
    /// <summary><see cref="Resolved"/> or <see cref="Ignored"/>.</summary>
    public required string Status { get; init; }
    /// <summary>When it was closed, on accounting-sync's clock.</summary>
    public required DateTimeOffset ClosedAt { get; init; }
    /// <summary>Who closed it; "platform" when a later success resolved it.</summary>
    public required string ClosedBy { get; init; }
    public bool ResolvedAutomatically { get; init; }
    /// <summary>Why, as the record's history says it.</summary>
    public string? Reason { get; init; }
}
