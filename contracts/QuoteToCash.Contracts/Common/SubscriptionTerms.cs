namespace QuoteToCash.Contracts;

/// <summary>A recurring charge billed in advance; renewals continue until the term ends or the deal is cancelled.</summary>
public sealed record SubscriptionTerms
{
    public SubscriptionInterval Interval { get; init; } = SubscriptionInterval.Monthly;
    /// <summary>Seats or units.</summary>
    public decimal Quantity { get; init; } = 1;
    /// <summary>Price of one unit for one interval.</summary>
    public decimal UnitPrice { get; init; }
    /// <summary>The first day of the first period; the day the deal was won when not given.</summary>
    public DateOnly? StartDate { get; init; }
    /// <summary>Number of periods; null renews until cancelled.</summary>
    public int? Periods { get; init; }
    /// <summary>The CRM product (SKU or product ID) whose item mapping bills the subscription.</summary>
    public string? Product { get; init; }
}

public enum SubscriptionInterval
{
    Monthly,
    Annually,
}
