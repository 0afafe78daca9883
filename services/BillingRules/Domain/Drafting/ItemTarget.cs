namespace QuoteToCash.BillingRules.Domain;

/// <summary>Where a product's charges are booked in the accounting system: its item and, when set, the item's income account, class, location and tax code.</summary>
public sealed class ItemTarget
{
    public string ItemRef { get; set; } = string.Empty;
    public string? ItemName { get; set; }
    public string? IncomeAccountRef { get; set; }
    /// <summary>Wins over the deal's class (<see cref="DraftContext.ClassRef"/>).</summary>
    public string? ClassRef { get; set; }
    /// <summary>Wins over the deal's department (location).</summary>
    public string? DepartmentRef { get; set; }
    /// <summary>The tax code for a taxable customer; null takes <see cref="DraftContext.TaxableCode"/>.</summary>
    public string? TaxCodeRef { get; set; }
}
