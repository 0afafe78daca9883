using QuoteToCash.AccountingSync.Domain.Inbound;

namespace QuoteToCash.AccountingSync.Infrastructure.Inbound;

/// <summary>
/// A QuickBooks payment that applies (or applied) money or credit to invoices we posted: what it applied to each when last
/// seen. Only payments touching our invoices are kept.
/// </summary>
public sealed class InboundPayment
{
    public const string CollectionName = "qbo-inbound-payments";

    public static string Key(string tenantId, string paymentId) => $"{tenantId}:{paymentId}";

    public string TenantId { get; set; } = string.Empty;
    public string PaymentId { get; set; } = string.Empty;
    public long? SyncToken { get; set; }
    public bool Deleted { get; set; }
    public List<AppliedAmount> Applications { get; set; } = [];
    public DateTime Updated { get; set; }
}
