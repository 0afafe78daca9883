namespace QuoteToCash.Contracts;

public sealed record DealLine
{
    public string? ExternalId { get; init; }
    public string? ProductId { get; init; }
    public string? Sku { get; init; }
    public required string Description { get; init; }
    public decimal Quantity { get; init; }
    public decimal UnitPrice { get; init; }
    /// <summary>Discount as a percentage of the line (0–100).</summary>
    public decimal DiscountPercent { get; init; }
    public DateOnly? ServiceStart { get; init; }
    public DateOnly? ServiceEnd { get; init; }
    /// <summary>For recurring lines: "monthly", "quarterly", "annually".</summary>
    public string? RecurringPeriod { get; init; }
}
