using System.Globalization;
using QuoteToCash.Contracts;

namespace QuoteToCash.CrmIngest.Domain;

/// <summary>
/// What makes billing terms billable. One set of rules for every way a deal comes in (the generic API, HubSpot,
/// Salesforce), applied to the terms as they will be announced, after the tenant's defaults filled the gaps. Pure.
/// </summary>
/// <remarks>
/// A plan (fixed-fee instalments or milestones) is made of parts that each give a percentage of the deal amount or an
/// amount, never both. Percentages alone must add up to exactly 100; amounts alone to exactly the deal amount. A plan
/// that mixes them is valid when its amounts plus its percentages of the deal amount (taken together and rounded to
/// cents, half away from zero) come to the deal amount.
/// </remarks>
public static class BillingTermsRules
{
    public const int MaxIdLength = 200;

    /// <summary>Every reason the terms cannot be billed for a deal in <paramref name="dealCurrency"/> worth <paramref name="dealAmount"/>; empty when they can.</summary>
    public static IReadOnlyList<TermsViolation> Validate(BillingTerms terms, string dealCurrency, decimal dealAmount)
    {
        var found = new List<TermsViolation>();
        void Add(string field, string message) => found.Add(new TermsViolation(field, message));

        if (terms.Currency is { } currency && !string.Equals(currency, dealCurrency, StringComparison.OrdinalIgnoreCase))
            Add("billing.currency", $"The billing terms are in {currency} but the deal is in {dealCurrency}; give the deal's currency or leave it out.");

        ValidateInstalments(terms.Instalments, dealAmount, dealCurrency, Add);
        ValidateMilestones(terms.Milestones, dealAmount, dealCurrency, Add);
        ValidateRateCard(terms.RateCard, "billing.rateCard", Add);

        if (terms.NotToExceed is <= 0)
            Add("billing.notToExceed", "A not-to-exceed cap must be more than zero; leave it out for no cap.");

        if (terms.Retainer is { } retainer)
        {
            if (retainer.Deposit <= 0)
                Add("billing.retainer.deposit", retainer.Deposit < 0 ? "The deposit cannot be negative." : "A retainer needs a deposit of more than zero.");
            if (retainer.Threshold < 0)
                Add("billing.retainer.threshold", "The replenishment threshold cannot be negative.");
            else if (retainer.Deposit > 0 && retainer.Threshold >= retainer.Deposit)
                Add("billing.retainer.threshold", $"The replenishment threshold ({Money(retainer.Threshold)}) must be below the deposit ({Money(retainer.Deposit)}).");
            if (retainer.Replenishment is <= 0)
                Add("billing.retainer.replenishment", "A replenishment must be more than zero; leave it out to replenish the deposit.");
        }
        else if (terms.Model == BillingModel.Retainer)
            Add("billing.retainer", "A retainer deal needs its retainer: the deposit and the threshold below which it is replenished.");

        if (terms.Subscription is { } subscription)
        {
            if (subscription.UnitPrice <= 0)
                Add("billing.subscription.unitPrice", "A subscription needs a unit price of more than zero.");
            if (subscription.Quantity <= 0)
                Add("billing.subscription.quantity", "A subscription needs a quantity (seats or units) of more than zero.");
            if (subscription.Periods is <= 0)
                Add("billing.subscription.periods", "The number of periods must be at least 1; leave it out to renew until cancelled.");
            CheckLength(subscription.Product, "billing.subscription.product", Add);
        }
        else if (terms.Model == BillingModel.Subscription)
            Add("billing.subscription", "A subscription deal needs its subscription: the unit price, the quantity and the interval.");

        CheckLength(terms.PurchaseOrder, "billing.purchaseOrder", Add);
        return found;
    }

    /// <summary>
    /// A rate card's own rules, for a deal's terms and for the tenant's defaults: every entry has a role, no rate is
    /// negative, and a role (or a person in a role) has one rate.
    /// </summary>
    public static void ValidateRateCard(IReadOnlyList<RateCardEntry> rateCard, string path, Action<string, string> add)
    {
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < rateCard.Count; i++)
        {
            var entry = rateCard[i];
            var at = $"{path}[{i}]";
            if (string.IsNullOrWhiteSpace(entry.Role))
                add($"{at}.role", "Every rate needs the role it is for.");
            else
            {
                CheckLength(entry.Role, $"{at}.role", add);
                if (!seen.Add((entry.Role.Trim().ToUpperInvariant(), entry.Person?.Trim().ToUpperInvariant() ?? string.Empty)))
                    add(at, entry.Person is null
                        ? $"Role '{entry.Role}' has a rate already; give each role one rate."
                        : $"'{entry.Person}' as '{entry.Role}' has a rate already; give each person one rate per role.");
            }
            if (entry.Rate < 0)
                add($"{at}.rate", "A rate cannot be negative.");
            CheckLength(entry.Person, $"{at}.person", add);
            CheckLength(entry.Product, $"{at}.product", add);
        }
    }

    /// <summary>Whether time in this role can be priced from the rate card (roles compare without regard to case).</summary>
    public static bool HasRole(IEnumerable<RateCardEntry> rateCard, string role) =>
        rateCard.Any(r => string.Equals(r.Role.Trim(), role.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The deal's rates with the tenant's under them: a tenant rate is added unless the deal already has a rate for
    /// the same role and person. The deal's entries keep their order and positions.
    /// </summary>
    public static IReadOnlyList<RateCardEntry> MergeRateCards(IReadOnlyList<RateCardEntry> deal, IReadOnlyList<RateCardEntry> tenant)
    {
        var merged = deal.ToList();
        foreach (var rate in tenant)
        {
            if (!deal.Any(d => SameKey(d, rate)))
                merged.Add(rate);
        }
        return merged;
    }

    private static bool SameKey(RateCardEntry a, RateCardEntry b) =>
        string.Equals(a.Role?.Trim(), b.Role?.Trim(), StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.Person?.Trim(), b.Person?.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>An identifier longer than <see cref="MaxIdLength"/> characters is refused.</summary>
    public static void CheckLength(string? value, string field, Action<string, string> add)
    {
        if (value is { Length: > MaxIdLength })
            add(field, $"At most {MaxIdLength} characters.");
    }

    private static void ValidateInstalments(IReadOnlyList<FeeInstalment> instalments, decimal dealAmount, string currency, Action<string, string> add)
    {
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < instalments.Count; i++)
        {
            var part = instalments[i];
            var at = $"billing.instalments[{i}]";
            CheckId(part.Id, at, ids, "instalment", add);
            CheckShare(part.Percent, part.Amount, at, add);
            if (part.Trigger == InstalmentTrigger.OnDate && part.Date is null)
                add($"{at}.date", "An instalment billed on a date needs the date (yyyy-MM-dd).");
            if (part.Trigger != InstalmentTrigger.OnDate && part.Date is not null)
                add($"{at}.trigger", $"A date is only used by the trigger OnDate; this instalment is billed {part.Trigger}.");
            CheckLength(part.Label, $"{at}.label", add);
        }
        CheckPlan(instalments.Select(p => (p.Percent, p.Amount)).ToList(), "billing.instalments", "instalments", dealAmount, currency, add);
    }

    private static void ValidateMilestones(IReadOnlyList<MilestoneTerm> milestones, decimal dealAmount, string currency, Action<string, string> add)
    {
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < milestones.Count; i++)
        {
            var milestone = milestones[i];
            var at = $"billing.milestones[{i}]";
            CheckId(milestone.Id, at, ids, "milestone", add);
            if (string.IsNullOrWhiteSpace(milestone.Name))
                add($"{at}.name", "Each milestone needs a name; it appears on the invoice.");
            CheckShare(milestone.Percent, milestone.Amount, at, add);
        }
        CheckPlan(milestones.Select(m => (m.Percent, m.Amount)).ToList(), "billing.milestones", "milestones", dealAmount, currency, add);
    }

    private static void CheckId(string? id, string at, HashSet<string> seen, string what, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(id))
            add($"{at}.id", $"Each {what} needs an ID.");
        else if (id.Length > MaxIdLength)
            add($"{at}.id", $"At most {MaxIdLength} characters.");
        else if (!seen.Add(id.Trim()))
            add($"{at}.id", $"Another {what} has the ID '{id}'; IDs must be unique.");
    }

    private static void CheckShare(decimal? percent, decimal? amount, string at, Action<string, string> add)
    {
        if (percent is not null && amount is not null)
            add(at, "Give a percentage or an amount, not both.");
        else if (percent is null && amount is null)
            add($"{at}.percent", "Give the share of the deal (percent) or an amount.");
        if (percent is <= 0 or > 100)
            add($"{at}.percent", percent < 0 ? "A percentage cannot be negative." : "A percentage more than 0 and at most 100.");
        if (amount is <= 0)
            add($"{at}.amount", amount < 0 ? "An amount cannot be negative." : "An amount must be more than zero.");
    }

    /// <summary>The plan's parts must make the deal amount (see the rule on the class). Only checked once every part is well formed.</summary>
    private static void CheckPlan(IReadOnlyList<(decimal? Percent, decimal? Amount)> parts, string field, string what, decimal dealAmount, string currency,
        Action<string, string> add)
    {
        if (parts.Count == 0 || parts.Any(p => (p.Percent is null) == (p.Amount is null) || p.Percent is <= 0 or > 100 || p.Amount is <= 0))
            return;
        var percents = parts.Sum(p => p.Percent ?? 0m);
        var amounts = parts.Sum(p => p.Amount ?? 0m);
        if (parts.All(p => p.Percent is not null))
        {
            if (percents != 100m)
                add(field, $"The {what}' percentages add up to {Number(percents)} %, not 100 %.");
        }
        else if (parts.All(p => p.Amount is not null))
        {
            if (amounts != dealAmount)
                add(field, $"The {what}' amounts add up to {Money(amounts)} {currency}, not the deal amount of {Money(dealAmount)} {currency}.");
        }
        else
        {
            var share = Math.Round(dealAmount * percents / 100m, 2, MidpointRounding.AwayFromZero);
            if (amounts + share != Math.Round(dealAmount, 2, MidpointRounding.AwayFromZero))
                add(field, $"The {what}' amounts ({Money(amounts)} {currency}) and percentages ({Number(percents)} % of {Money(dealAmount)} = {Money(share)} {currency}) " +
                           $"come to {Money(amounts + share)} {currency}, not the deal amount of {Money(dealAmount)} {currency}.");
        }
    }

    private static string Money(decimal value) => value.ToString("#,##0.00##", CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
