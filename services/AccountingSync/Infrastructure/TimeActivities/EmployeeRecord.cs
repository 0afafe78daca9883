namespace QuoteToCash.AccountingSync.Infrastructure.TimeActivities;

/// <summary>
/// A person the tenant records time for, and the QuickBooks Employee that is them. Remembered per tenant and name so
/// that every later entry reuses the employee without asking QuickBooks.
/// </summary>
public sealed class EmployeeRecord
{
    public const string CollectionName = "qbo-employees";

    public string TenantId { get; set; } = string.Empty;
    /// <summary>The person as the CRM names them.</summary>
    public string Person { get; set; } = string.Empty;
    public string AccountingEmployeeId { get; set; } = string.Empty;
    /// <summary>The DisplayName in QuickBooks (the person's name, or with the platform's suffix when that was taken).</summary>
    public string DisplayName { get; set; } = string.Empty;
    public DateTime Updated { get; set; }

    public static string KeyFor(string tenantId, string personKey) => $"{tenantId}:{personKey}";
}
