namespace QuoteToCash.Contracts.MasterData;

/// <summary>
/// The approved accounting target of one CRM product changed (or the tenant's default item did). billing-rules keeps
/// its own copy of these to draft invoice lines without asking master data on every invoice.
/// </summary>
public sealed record ItemMappingChanged
{
    public required string TenantId { get; init; }
    /// <summary>"id:{crm product id}", "sku:{sku}", or "*" for the tenant's default item.</summary>
    public required string ProductKey { get; init; }
    public string? ProductName { get; init; }
    /// <summary>The QuickBooks Item.Id; null when the mapping was removed.</summary>
    public string? ItemRef { get; init; }
    public string? IncomeAccountRef { get; init; }
    public string? ClassRef { get; init; }
    public string? DepartmentRef { get; init; }
    public string? TaxCodeRef { get; init; }
    public int Version { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}
