namespace QuoteToCash.AccountingSync.Messages;

/// <summary>
/// accounting-sync to itself: one changed Invoice, Payment or CreditMemo as the CDC sweep (or reconciliation) read it,
/// applied in a unit of work of its own, exactly as a webhook's change is after reading the entity.
/// </summary>
public sealed record ApplyQuickBooksChange
{
    public required string TenantId { get; init; }
    public required string Entity { get; init; }
    public required string EntityId { get; init; }
    /// <summary>The entity is gone from QuickBooks (CDC's "Deleted", or missing from a reconciliation query).</summary>
    public bool Deleted { get; init; }
    /// <summary>The entity's JSON as QuickBooks returned it; null when deleted.</summary>
    public string? Payload { get; init; }
    /// <summary>"cdc" or "reconciliation".</summary>
    public required string Source { get; init; }
}
