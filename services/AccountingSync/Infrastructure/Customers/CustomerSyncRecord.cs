namespace QuoteToCash.AccountingSync.Infrastructure.Customers;

/// <summary>
/// What accounting-sync knows about a golden customer in QuickBooks. Written straight to the store (not with the
/// consume's commit) before and after a create, so that a consume interrupted after QuickBooks created the customer
/// repeats the create with the same requestid (QuickBooks replays it) instead of "linking" the customer it just made.
/// </summary>
public sealed class CustomerSyncRecord
{
    public const string CollectionName = "qbo-customer-syncs";

    public string TenantId { get; set; } = string.Empty;
    public Guid CustomerId { get; set; }
    public string? AccountingCustomerRef { get; set; }
    /// <summary>A create was sent for this revision and its answer is not recorded yet.</summary>
    public int? CreatePendingRevision { get; set; }
    public string? DisplayName { get; set; }
    public int Revision { get; set; }
    public DateTime Updated { get; set; }

    public static string KeyFor(string tenantId, Guid customerId) => $"{tenantId}:{customerId:D}";
}
