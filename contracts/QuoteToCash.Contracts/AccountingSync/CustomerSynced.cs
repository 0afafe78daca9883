namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>The customer exists in QuickBooks as of <see cref="Revision"/>.</summary>
public sealed record CustomerSynced
{
    public required string TenantId { get; init; }
    public required Guid CustomerId { get; init; }
    public required int Revision { get; init; }
    public required string AccountingCustomerRef { get; init; }
    /// <summary>The display name QuickBooks holds; differs from the requested one when a collision forced a suffix.</summary>
    public required string DisplayName { get; init; }
    /// <summary>True when an existing QuickBooks customer was linked instead of created.</summary>
    public bool Linked { get; init; }
    /// <summary>Why the display name or link differs from what was asked, in plain language.</summary>
    public string? Note { get; init; }
    public required DateTimeOffset SyncedAt { get; init; }
}
