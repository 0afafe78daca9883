namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>A sales line of an invoice in QuickBooks (subtotal and discount lines are left out).</summary>
public sealed record AccountingInvoiceLine
{
    /// <summary>The QuickBooks Item ID, or null for a description-only line.</summary>
    public string? ItemRef { get; init; }
    public string? Description { get; init; }
    public decimal Amount { get; init; }
}
