namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>QuickBooks reported a change to one of the tenant's entities (webhook or CDC).</summary>
public sealed record QuickBooksEntityChanged
{
    public required string TenantId { get; init; }
    public required string RealmId { get; init; }
    public required string Entity { get; init; }
    public required string EntityId { get; init; }
    /// <summary>Create, Update, Delete, Merge, Void, Emailed.</summary>
    public required string Operation { get; init; }
    public DateTimeOffset? ChangedAt { get; init; }
    /// <summary>"webhook" or "cdc".</summary>
    public required string Source { get; init; }
}
