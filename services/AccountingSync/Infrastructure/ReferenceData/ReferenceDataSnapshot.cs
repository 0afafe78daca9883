using QuoteToCash.Contracts.AccountingSync;

namespace QuoteToCash.AccountingSync.Infrastructure.ReferenceData;

/// <summary>
/// The tenant's QuickBooks lists as accounting-sync last read them, and the company's closing date, kept in its own
/// store (<c>qbo-reference-data</c>, one per tenant) so posting can resolve terms by name and respect closed books
/// without asking QuickBooks every time.
/// </summary>
public sealed class ReferenceDataSnapshot
{
    public const string CollectionName = "qbo-reference-data";

    public string TenantId { get; set; } = string.Empty;
    public string RealmId { get; set; } = string.Empty;
    public List<AccountingListEntry> Items { get; set; } = [];
    public List<AccountingListEntry> Classes { get; set; } = [];
    public List<AccountingListEntry> Departments { get; set; } = [];
    public List<AccountingListEntry> TaxCodes { get; set; } = [];
    public List<AccountingListEntry> Terms { get; set; } = [];
    /// <summary>When the lists were read; null when only the closing date has been read so far.</summary>
    public DateTime? ListsReadAt { get; set; }
    /// <summary>Preferences.AccountingInfoPrefs.BookCloseDate; null while the books are open.</summary>
    public DateOnly? ClosingDate { get; set; }
    public DateTime? ClosingDateReadAt { get; set; }
}
