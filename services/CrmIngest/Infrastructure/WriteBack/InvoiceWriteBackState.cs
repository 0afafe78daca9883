namespace QuoteToCash.CrmIngest.Infrastructure.WriteBack;

/// <summary>
/// The newest invoice change written back per invoice ("crm-write-back-invoices", key = "flowId:invoiceId"), so that a
/// late or redelivered older event (a Posted after the Paid) does not overwrite a newer status in the CRM.
/// </summary>
public sealed class InvoiceWriteBackState
{
    public const string CollectionName = "crm-write-back-invoices";

    public Guid FlowId { get; set; }
    public Guid InvoiceId { get; set; }
    public string TenantId { get; set; } = string.Empty;
    public string? InvoiceNumber { get; set; }
    public string? Status { get; set; }
    public DateTime LastChangeAt { get; set; }
    public DateTime Written { get; set; }

    public static string Key(Guid flowId, Guid invoiceId) => $"{flowId:D}:{invoiceId:D}";
}
