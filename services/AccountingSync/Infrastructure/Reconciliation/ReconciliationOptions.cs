namespace QuoteToCash.AccountingSync.Infrastructure.Reconciliation;

/// <summary>The daily comparison of posted invoices with QuickBooks (<c>QuickBooks:Reconciliation</c>).</summary>
public sealed class ReconciliationOptions
{
    public const string Section = "QuickBooks:Reconciliation";

    /// <summary>Whether the daily job is armed for connected tenants (the on-demand API works either way).</summary>
    public bool Daily { get; set; } = true;

    /// <summary>The time of day (UTC) the daily run starts.</summary>
    public TimeSpan DailyAt { get; set; } = TimeSpan.FromHours(3);

    /// <summary>Invoice Ids per <c>Id IN (…)</c> query, at most 1,000 (QuickBooks' largest page).</summary>
    public int MaxIdsPerQuery { get; set; } = 1000;

    /// <summary>The longest URL-encoded Id list one query may carry (QuickBooks reads queries from the URL).</summary>
    public int MaxQueryLength { get; set; } = 6000;

    public static string DailyJobId(string tenantId) => $"qbo-reconciliation:{tenantId}";

    /// <summary>The next daily start after <paramref name="now"/>.</summary>
    public DateTimeOffset NextDailyRun(DateTimeOffset now)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero) + DailyAt;
        return today > now ? today : today.AddDays(1);
    }
}
