using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Domain;

/// <summary>A subscription's terms as they stand, and how far it has been billed.</summary>
public sealed class ContractSubscription
{
    public SubscriptionInterval Interval { get; set; }
    public decimal UnitPrice { get; set; }
    /// <summary>The seats every period from the next one on is billed for.</summary>
    public decimal Seats { get; set; }
    /// <summary>The seats the latest billed period has been paid for, prorated additions included.</summary>
    public decimal CoveredSeats { get; set; }
    /// <summary>The first day of the first period; later periods start on the same day of the month (or year).</summary>
    public DateOnly StartDate { get; set; }
    /// <summary>The number of periods; null renews until cancelled.</summary>
    public int? Periods { get; set; }
    /// <summary>How many periods have been billed (period 0 is the first).</summary>
    public int PeriodsBilled { get; set; }
    /// <summary>"id:…" or "sku:…".</summary>
    public string? Product { get; set; }
}
