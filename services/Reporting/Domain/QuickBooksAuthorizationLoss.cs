namespace QuoteToCash.Reporting.Domain;

/// <summary>
/// Read model: one time a tenant's QuickBooks authorisation was lost (expired or revoked) and posting paused until
/// someone reconnected the company; the CFO dashboard counts them as connection incidents. Keyed by tenant, realm and
/// the moment it was detected, so a redelivered alert changes nothing.
/// </summary>
public sealed class QuickBooksAuthorizationLoss
{
    public const string CollectionName = "quickbooks-authorization-losses";

    public string TenantId { get; set; } = string.Empty;
    public string RealmId { get; set; } = string.Empty;
    public string Reason { get; set; } = string.Empty;
    public DateTime DetectedAt { get; set; }

    public static string KeyFor(string tenantId, string realmId, DateTimeOffset detectedAt) =>
        $"{tenantId}:{realmId}:{detectedAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
