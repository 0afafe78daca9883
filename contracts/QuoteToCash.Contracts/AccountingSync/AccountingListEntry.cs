namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>An entry of one of QuickBooks' lists (item, account, class, department, tax code, terms).</summary>
public sealed record AccountingListEntry
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public bool Active { get; init; } = true;
}
