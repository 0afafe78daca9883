namespace QuoteToCash.AccountingSync.Domain.Reconciliation;

/// <summary>
/// Splits the Ids of the invoices to check into pages for <c>select * from Invoice where Id IN (…)</c>: at most 1,000 Ids a
/// page (QuickBooks' maximum result size, so one page answers in full), and no more than a page's query text may carry,
/// because QuickBooks reads queries from the URL.
/// </summary>
public static class IdPages
{
    public const int MaxIdsPerPage = 1000;

    /// <param name="ids">QuickBooks Ids (digits).</param>
    /// <param name="maxIds">Ids per page, 1 to 1,000.</param>
    /// <param name="maxQueryLength">The longest URL-encoded IN list a page may have.</param>
    public static IReadOnlyList<IReadOnlyList<string>> Split(IEnumerable<string> ids, int maxIds, int maxQueryLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxIds, MaxIdsPerPage);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueryLength, 64);
        var pages = new List<IReadOnlyList<string>>();
        var page = new List<string>();
        var length = 0;
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            var cost = EncodedLength(id);
            if (page.Count > 0 && (page.Count == maxIds || length + cost > maxQueryLength))
            {
                pages.Add(page);
                page = [];
                length = 0;
            }
            page.Add(id);
            length += cost;
        }
        if (page.Count > 0)
            pages.Add(page);
        return pages;
    }

    /// <summary>The URL-encoded length one Id adds to the list: <c>'id', </c>.</summary>
    private static int EncodedLength(string id) => Uri.EscapeDataString("'" + id.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "', ").Length;
}
