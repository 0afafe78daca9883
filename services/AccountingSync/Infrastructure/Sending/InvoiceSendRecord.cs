namespace QuoteToCash.AccountingSync.Infrastructure.Sending;

/// <summary>
/// What accounting-sync knows about e-mailing one invoice from QuickBooks. <see cref="Attempt"/> goes up each time
/// QuickBooks refuses the send for good (no address, say), so that a retry after finance fixed it uses a new requestid;
/// a re-delivery in between uses the same one and QuickBooks replays the send instead of e-mailing the customer twice.
/// </summary>
public sealed class InvoiceSendRecord
{
    public const string CollectionName = "invoice-sends";

    public string TenantId { get; set; } = string.Empty;
    public Guid InvoiceId { get; set; }
    public int Attempt { get; set; }
    public string? AccountingInvoiceId { get; set; }
    public string? SentTo { get; set; }
    public DateTime? Sent { get; set; }
    public DateTime Updated { get; set; }

    public static string KeyFor(Guid invoiceId) => invoiceId.ToString("D");
}
