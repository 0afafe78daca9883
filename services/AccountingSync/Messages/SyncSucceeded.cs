namespace QuoteToCash.AccountingSync.Messages;

/// <summary>
/// accounting-sync to itself: an operation on an entity succeeded; older open exceptions for the same tenant, entity and
/// operation are resolved automatically, with a note saying so.
/// </summary>
public sealed record SyncSucceeded
{
    public required string TenantId { get; init; }
    public required string Entity { get; init; }
    public required string EntityId { get; init; }
    public required string Operation { get; init; }
    public string? AccountingId { get; init; }
    public required DateTimeOffset SucceededAt { get; init; }
}
