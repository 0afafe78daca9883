using System.Globalization;

namespace QuoteToCash.BillingRules.Domain;

/// <summary>Staged rollout and sync filters (BIL-6): which deals the platform bills, and in which mode.</summary>
public static class Rollout
{
    /// <summary>
    /// Bills the deal unless it is outside the staged rollout (business unit, region) or filtered out (customer not
    /// approved, amount below the minimum); every reason that applies is given. Business units and regions compare
    /// without case and surrounding spaces.
    /// </summary>
    public static RolloutDecision Decide(RolloutPolicy policy, string? businessUnit, string? region, decimal dealAmount, bool customerApproved)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var reasons = new List<string>();
        if (OutsideStage(policy.BusinessUnits, businessUnit, "business unit") is { } unit)
            reasons.Add(unit);
        if (OutsideStage(policy.Regions, region, "region") is { } outside)
            reasons.Add(outside);
        if (policy.OnlyApprovedCustomers && !customerApproved)
            reasons.Add("the customer is not approved yet, and only approved customers are billed");
        if (policy.MinimumAmount is { } minimum && dealAmount < minimum)
            reasons.Add($"the deal's amount {Amount(dealAmount)} is below the minimum of {Amount(minimum)}");

        return reasons.Count == 0
            ? new RolloutDecision(true, policy.Mode, null)
            : new RolloutDecision(false, policy.Mode, Capitalise(string.Join("; ", reasons)) + ".");
    }

    private static string? OutsideStage(List<string> stage, string? value, string what)
    {
        var included = stage.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).ToList();
        if (included.Count == 0)
            return null;
        var list = string.Join(", ", included);
        if (string.IsNullOrWhiteSpace(value))
            return $"the deal has no {what}, and the rollout covers only {list}";
        return included.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase)
            ? null
            : $"{what} {value.Trim()} is not in the rollout ({list})";
    }

    private static string Amount(decimal amount) => amount.ToString("#,##0.##########", CultureInfo.InvariantCulture);

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
