namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// Everything drafting needs to know beyond the due invoice: the deal, the customer as accounting knows it, the item
/// mappings of the deal's products and the tenant's defaults. The saga fills it from the messages it has received.
/// </summary>
public sealed class DraftContext
{
    public Guid FlowId { get; set; }
    public string SourceSystem { get; set; } = string.Empty;
    public string ExternalDealId { get; set; } = string.Empty;
    public string DealName { get; set; } = string.Empty;
    /// <summary>ISO 4217 code of the deal, e.g. "GBP"; amounts are rounded to its minor unit.</summary>
    public string Currency { get; set; } = string.Empty;
    public Guid CustomerId { get; set; }
    public string? AccountingCustomerRef { get; set; }
    /// <summary>An exempt customer gets <see cref="ExemptCode"/> on every line, whatever the item says.</summary>
    public bool TaxExempt { get; set; }
    /// <summary>The deal's terms if given, else the customer's, else the tenant default ("Net 30").</summary>
    public string? PaymentTerms { get; set; }
    /// <summary>The tenant's standard terms: what approval measures other terms against, and the due date of unreadable ones.</summary>
    public string StandardTerms { get; set; } = "Net 30";
    /// <summary>Product key ("id:…", "sku:…") → where that product's charges are booked.</summary>
    public Dictionary<string, ItemTarget> Items { get; set; } = [];
    /// <summary>The tenant's default item: used for lines without a product, or with an unmapped one, only when set.</summary>
    public ItemTarget? DefaultItem { get; set; }
    /// <summary>The deal's class (e.g. from its business unit); a line's item mapping wins.</summary>
    public string? ClassRef { get; set; }
    /// <summary>The deal's department (location); a line's item mapping wins.</summary>
    public string? DepartmentRef { get; set; }
    public string TaxableCode { get; set; } = "TAX";
    public string ExemptCode { get; set; } = "NON";
    /// <summary>The tenant's today, from the saga's clock.</summary>
    public DateOnly Today { get; set; }
}
