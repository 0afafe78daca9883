using QuoteToCash.AccountingSync.Domain.Inbound;

namespace QuoteToCash.AccountingSync.Infrastructure.Inbound;

/// <summary>
/// The index of what accounting-sync posted, one document per tenant and QuickBooks invoice Id: whose invoice it is (flow,
/// invoice, deal), the fingerprint of what was posted, and the last state the platform knows (balance, SyncToken, voided or
/// deleted, the edit already reported). Inbound changes and reconciliation compare QuickBooks against it.
/// </summary>
public sealed class PostedInvoice
{
    public const string CollectionName = "qbo-posted-invoices";

    public static string Key(string tenantId, string accountingInvoiceId) => $"{tenantId}:{accountingInvoiceId}";

    public string TenantId { get; set; } = string.Empty;
    public string AccountingInvoiceId { get; set; } = string.Empty;
    public Guid InvoiceId { get; set; }
    public Guid FlowId { get; set; }
    /// <summary>The CRM deal as "source:externalId", from the "deal:" marker in the private note.</summary>
    public string? DealRef { get; set; }
    public string? DocNumber { get; set; }
    public string Currency { get; set; } = string.Empty;
    public InvoiceFingerprint Posted { get; set; } = new();
    public DateTime PostedAt { get; set; }

    public PostedInvoiceState State { get; set; }
    /// <summary>What the invoice still owes as QuickBooks last showed it.</summary>
    public decimal Balance { get; set; }
    /// <summary>The newest SyncToken handled; older ones arriving late are not applied.</summary>
    public long? SyncToken { get; set; }
    /// <summary>The QuickBooks payments that apply (or applied) something to this invoice.</summary>
    public List<string> PaymentIds { get; set; } = [];
    /// <summary>The fingerprint key of the edit already reported as a conflict, so the same edit is reported once.</summary>
    public string? ReportedEdit { get; set; }
    public DateTime? StateChangedAt { get; set; }
    public DateTime Updated { get; set; }
}
