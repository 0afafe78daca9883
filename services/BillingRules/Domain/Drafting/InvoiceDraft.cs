namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// An invoice as billing-rules drafted it, before approval and posting. <see cref="InvoiceId"/> is stable: drafting
/// the same due invoice again gives the same ID, so the accounting system's request ID derived from it replays
/// instead of duplicating.
/// </summary>
public sealed class InvoiceDraft
{
    public Guid InvoiceId { get; set; }
    /// <summary>The key of the due invoice this draft bills; the drafts of a due invoice split by purchase order share it.</summary>
    public string Key { get; set; } = string.Empty;
    public ChargeKind Kind { get; set; }
    public string Currency { get; set; } = string.Empty;
    public DateOnly InvoiceDate { get; set; }
    public DateOnly DueDate { get; set; }
    public string? PaymentTerms { get; set; }
    /// <summary>Null lets QuickBooks number the invoice; see <see cref="InvoiceNumbering"/>.</summary>
    public string? DocNumber { get; set; }
    /// <summary>For finance, never shown to the customer: "deal:&lt;source&gt;:&lt;deal id&gt; due:&lt;key&gt; flow:&lt;id&gt; invoice:&lt;id&gt;", then the due invoice's notes.</summary>
    public string PrivateNote { get; set; } = string.Empty;
    /// <summary>Printed on the invoice: the deal and the charge ("Contoso ERP rollout — Milestone 2 of 3: Go-live").</summary>
    public string? CustomerMemo { get; set; }
    public string? PurchaseOrder { get; set; }
    public List<DraftLine> Lines { get; set; } = [];
    /// <summary>Exactly the sum of the line amounts.</summary>
    public decimal Total { get; set; }
    /// <summary>The due invoice's notes, then what drafting decided that finance should know (a default item used, unreadable terms, a split).</summary>
    public List<string> Notes { get; set; } = [];
}
