namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// One accounting line of an <see cref="InvoiceDraft"/>. <see cref="Quantity"/> × <see cref="UnitPrice"/> less
/// <see cref="DiscountPercent"/>, rounded to the currency's minor unit, is always exactly <see cref="Amount"/>.
/// </summary>
public sealed class DraftLine
{
    /// <summary>The charge's description, with its service period when it has one ("Consulting (1–31 Mar 2026)").</summary>
    public string Description { get; set; } = string.Empty;
    public string ItemRef { get; set; } = string.Empty;
    /// <summary>The product key the line came from; null for a line without a product.</summary>
    public string? ProductKey { get; set; }
    public decimal Quantity { get; set; }
    public decimal UnitPrice { get; set; }
    public decimal DiscountPercent { get; set; }
    /// <summary>
    /// The discount the deal gave on this line. Equal to <see cref="DiscountPercent"/>, except on a line that bills an
    /// allocated share (an instalment, billed as quantity 1 at its amount), whose price already includes the discount;
    /// approval looks at this one.
    /// </summary>
    public decimal DealDiscountPercent { get; set; }
    public decimal Amount { get; set; }
    public string? TaxCodeRef { get; set; }
    /// <summary>The first day of the service period: QuickBooks' line ServiceDate, used for revenue recognition.</summary>
    public DateOnly? ServiceDate { get; set; }
    public DateOnly? ServiceFrom { get; set; }
    public DateOnly? ServiceTo { get; set; }
    public string? ClassRef { get; set; }
    public string? DepartmentRef { get; set; }
    /// <summary>Added by a person rather than by the contract.</summary>
    public bool Manual { get; set; }
}
