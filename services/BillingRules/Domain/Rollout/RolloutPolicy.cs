namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// A tenant's mode and what it bills through the platform: a staged rollout by business unit or region (empty lists
/// mean all), and filters on the deals (only approved customers, a minimum amount).
/// </summary>
public sealed class RolloutPolicy
{
    public BillingMode Mode { get; set; } = BillingMode.Live;
    /// <summary>The business units the platform bills for; empty for all.</summary>
    public List<string> BusinessUnits { get; set; } = [];
    /// <summary>The regions the platform bills for; empty for all.</summary>
    public List<string> Regions { get; set; } = [];
    public bool OnlyApprovedCustomers { get; set; }
    /// <summary>Deals below this amount are left to finance.</summary>
    public decimal? MinimumAmount { get; set; }
}
