namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// What drafting a due invoice produced: its invoices (one per purchase order), or, when any product has no item
/// mapping and the tenant has no default item, no invoice and the products that need mapping ("(no product)" for
/// lines without one). The flow is then held until finance maps them.
/// </summary>
public sealed class DraftResult
{
    public List<InvoiceDraft> Invoices { get; set; } = [];
    public List<string> MissingProducts { get; set; } = [];
}
