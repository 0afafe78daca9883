namespace QuoteToCash.AccountingSync.Messages;

/// <summary>
/// accounting-sync to itself: read the tenant's QuickBooks lists and publish them. Fired by the store-backed scheduler
/// (the recurring job armed when the connection is made, and the short debounce job after list changes).
/// </summary>
public sealed record RefreshReferenceData
{
    public required string TenantId { get; init; }
}
