namespace QuoteToCash.BillingRules.Domain;

/// <summary>What one call to <see cref="BillingContract"/> produced: invoices now due and messages for finance.</summary>
public sealed class ContractOutcome
{
    /// <summary>Invoices due now, each with a key not issued before.</summary>
    public List<DueInvoice> Due { get; } = [];
    /// <summary>Things finance should know or act on (no rate for an entry, an unplanned milestone, the cap reached…).</summary>
    public List<string> Alerts { get; } = [];
    /// <summary>True when this call brought billing to the not-to-exceed cap.</summary>
    public bool CapReached { get; set; }
}
