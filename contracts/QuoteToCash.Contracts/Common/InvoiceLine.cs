namespace QuoteToCash.Contracts;

public sealed record InvoiceLine
{
    public required string Description { get; init; }
    public string? ItemRef { get; init; }
    public decimal Quantity { get; init; }
    public decimal UnitPrice { get; init; }
    /// <summary>Quantity × unit price less discount, rounded to the currency's minor unit.</summary>
    public decimal Amount { get; init; }
    public string? TaxCode { get; init; }
    public DateOnly? ServiceDate { get; init; }
    /// <summary>The discount on this line in percent (10 for 10 %); <see cref="Amount"/> is already net of it.</summary>
    public decimal? DiscountPercent { get; init; }
    /// <summary>The QuickBooks Class ID of this line.</summary>
    public string? ClassRef { get; init; }
}
