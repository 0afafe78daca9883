namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>
/// QuickBooks' reference lists of a tenant's company as accounting-sync read them: items, income accounts, classes,
/// departments (locations), tax codes, terms and the currencies in use. Master data checks item mappings against them.
/// Not a flow message: it belongs to the tenant, not to a deal.
/// </summary>
public sealed record AccountingReferenceDataChanged
{
    public required string TenantId { get; init; }
    public required string RealmId { get; init; }
    public IReadOnlyList<AccountingListEntry> Items { get; init; } = [];
    public IReadOnlyList<AccountingListEntry> IncomeAccounts { get; init; } = [];
    public IReadOnlyList<AccountingListEntry> Classes { get; init; } = [];
    public IReadOnlyList<AccountingListEntry> Departments { get; init; } = [];
    public IReadOnlyList<AccountingListEntry> TaxCodes { get; init; } = [];
    public IReadOnlyList<AccountingListEntry> Terms { get; init; } = [];
    public IReadOnlyList<string> Currencies { get; init; } = [];
    /// <summary>The company's closing date (Preferences.AccountingInfoPrefs.BookCloseDate): nothing dated on or before it can be posted.</summary>
    public DateOnly? ClosingDate { get; init; }
    public required DateTimeOffset AsOf { get; init; }
}
