namespace QuoteToCash.AccountingSync.Infrastructure.ReferenceData;

/// <summary>When QuickBooks' lists are read again (<c>QuickBooks:ReferenceData</c>).</summary>
public sealed class ReferenceDataOptions
{
    public const string Section = "QuickBooks:ReferenceData";

    /// <summary>How often every connected tenant's lists are read, whether or not QuickBooks reported a change.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long after a reported list change the lists are read, so that a burst of changes causes one read.</summary>
    public TimeSpan ChangeDebounce { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The recurring job of a tenant, re-armed whenever its connection is saved.</summary>
    public static string RecurringJobId(string tenantId) => $"qbo-reference-data:{tenantId}";

    /// <summary>The one pending refresh after reported changes; later changes join it instead of adding another.</summary>
    public static string ChangeJobId(string tenantId) => $"qbo-reference-data-change:{tenantId}";
}
