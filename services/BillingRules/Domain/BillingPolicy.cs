namespace QuoteToCash.BillingRules.Domain;

/// <summary>A tenant's billing policy: approvals, rollout mode, numbering, closed books, standard terms and stuck-flow limits.</summary>
public sealed class BillingPolicy
{
    public const string CollectionName = "billing-policies";

    public string TenantId { get; set; } = string.Empty;
    public ApprovalPolicy Approval { get; set; } = ApprovalPolicy.Standard();
    public RolloutPolicy Rollout { get; set; } = new();
    public NumberingPolicy Numbering { get; set; } = new();
    public ClosedBooksPolicy ClosedBooks { get; set; } = ClosedBooksPolicy.MoveToFirstOpenDate;
    /// <summary>The tenant's standard payment terms; approval differences are stated against them.</summary>
    public string StandardTerms { get; set; } = "Net 30";
    /// <summary>The QuickBooks tax codes for taxable lines and for exempt customers.</summary>
    public string TaxableCode { get; set; } = "TAX";
    public string ExemptCode { get; set; } = "NON";
    public StuckThresholds Stuck { get; set; } = new();
    /// <summary>
    /// Whether QuickBooks e-mails each invoice to the customer's billing contact once it is posted (<c>SendInvoice</c>).
    /// On by default; a deal whose customer has no billing e-mail is not sent either way.
    /// </summary>
    public bool EmailInvoices { get; set; } = true;
    public DateTime? Updated { get; set; }
    public string? UpdatedBy { get; set; }

    public static BillingPolicy DefaultFor(string tenantId) => new() { TenantId = tenantId };
}
