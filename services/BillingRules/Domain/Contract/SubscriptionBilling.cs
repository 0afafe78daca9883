using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// A subscription billed in advance: the first period at activation, every later one on its first day, until the term
/// ends (or for ever). More seats during a period bill the extra seats for the rest of it, prorated by whole days;
/// fewer seats take effect from the next period.
/// </summary>
internal static class SubscriptionBilling
{
    public static string KeyOf(DateSpan period) => $"subscription:{ChargeLines.Day(period.Start)}";

    private static DateSpan PeriodOf(ContractSubscription subscription, int index) =>
        BillingPeriods.Subscription(subscription.Interval, subscription.StartDate, index);

    private static bool InTerm(ContractSubscription subscription, int index) => subscription.Periods is not { } periods || index < periods;

    /// <summary>The first period once active, then every period that has started by <paramref name="today"/>.</summary>
    public static void BillPeriods(ContractLedger ledger, DateOnly today, ContractOutcome outcome)
    {
        var subscription = ledger.Subscription!;
        if (ledger.ActivatedOn is not { } activatedOn)
            return;
        while (InTerm(subscription, subscription.PeriodsBilled))
        {
            var index = subscription.PeriodsBilled;
            var period = PeriodOf(subscription, index);
            if (index > 0 && period.Start > today)
                break;
            if (ledger.CompletedOn is { } completedOn && index > 0 && period.Start > completedOn)
                break;
            var billOn = index == 0 ? activatedOn : ledger.BillOn(period.Start);
            subscription.CoveredSeats = subscription.Seats;
            subscription.PeriodsBilled++;
            if (subscription.Seats <= 0m)
                continue;
            ledger.Issue(new DueInvoice
            {
                Key = KeyOf(period),
                Kind = ChargeKind.Subscription,
                BillOn = billOn,
                Lines = [ChargeLines.Priced(Title(ledger), subscription.Product, subscription.Seats, subscription.UnitPrice, ledger.Currency, period.Start, period.Last)],
            }, outcome);
        }
    }

    private static string Title(ContractLedger ledger) =>
        $"{ledger.DealName}: {(ledger.Subscription!.Interval == SubscriptionInterval.Annually ? "annual" : "monthly")} subscription";

    public static void Change(ContractLedger ledger, BillingTerms terms, DateOnly on, ContractOutcome outcome)
    {
        var subscription = ledger.Subscription!;
        var currency = ledger.Currency;
        if (terms.Subscription is not { } changed)
        {
            outcome.Alerts.Add("The deal changed without subscription terms; the subscription continues as it was.");
            return;
        }
        // Whatever started before the change is billed on the terms it started with.
        BillPeriods(ledger, on, outcome);

        if (changed.Interval != subscription.Interval)
            outcome.Alerts.Add($"The subscription's interval changed to {changed.Interval}; an interval cannot change mid-term, so it stays {subscription.Interval}.");
        if (changed.StartDate is { } start && start != subscription.StartDate)
            outcome.Alerts.Add($"The subscription's start date changed to {ChargeLines.Day(start)}; periods already billed keep their dates, so it stays {ChargeLines.Day(subscription.StartDate)}.");
        if (changed.UnitPrice != subscription.UnitPrice)
        {
            outcome.Alerts.Add($"The unit price changed from {ChargeLines.Format(subscription.UnitPrice, currency)} to {ChargeLines.Format(changed.UnitPrice, currency)}; it applies from the next period.");
            subscription.UnitPrice = changed.UnitPrice;
        }
        subscription.Periods = changed.Periods;
        subscription.Product = ProductKeys.Of(changed.Product, []) ?? subscription.Product;

        var seats = changed.Quantity;
        var current = subscription.PeriodsBilled - 1;
        var period = current >= 0 ? PeriodOf(subscription, current) : default;
        var inBilledPeriod = current >= 0 && on < period.EndExclusive;
        if (seats > subscription.CoveredSeats && inBilledPeriod)
        {
            var extra = seats - subscription.CoveredSeats;
            var key = $"proration:{ChargeLines.Day(on)}:{ChargeLines.Quantity(subscription.CoveredSeats)}-{ChargeLines.Quantity(seats)}";
            var amount = Proration.Prorate(extra * subscription.UnitPrice, on, period.Start, period.EndExclusive, currency);
            var from = on > period.Start ? on : period.Start;
            subscription.CoveredSeats = seats;
            if (amount > 0m)
            {
                ledger.Issue(new DueInvoice
                {
                    Key = key,
                    Kind = ChargeKind.Proration,
                    BillOn = ledger.BillOn(on),
                    Lines = [ChargeLines.ForAmount($"{ledger.DealName}: {ChargeLines.Quantity(extra)} more seats, {ChargeLines.Day(from)} to {ChargeLines.Day(period.Last)} (prorated)",
                        subscription.Product, amount, extra, currency, from, period.Last)],
                    Notes = [$"{period.EndExclusive.DayNumber - from.DayNumber} of the period's {period.EndExclusive.DayNumber - period.Start.DayNumber} days at {ChargeLines.Format(subscription.UnitPrice, currency)} a seat."],
                }, outcome);
            }
        }
        else if (seats < subscription.Seats && current >= 0)
            outcome.Alerts.Add($"Seats go down from {ChargeLines.Quantity(subscription.Seats)} to {ChargeLines.Quantity(seats)} from the next period; the current period stays billed for {ChargeLines.Quantity(subscription.CoveredSeats)} seats and no credit is raised.");
        subscription.Seats = seats;
    }

    public static void Complete(ContractLedger ledger, DateOnly on, ContractOutcome outcome)
    {
        var subscription = ledger.Subscription!;
        BillPeriods(ledger, on, outcome);
        var billedThrough = subscription.PeriodsBilled > 0 ? PeriodOf(subscription, subscription.PeriodsBilled - 1).Last : (DateOnly?)null;
        if (subscription.Periods is null || subscription.PeriodsBilled < subscription.Periods)
            outcome.Alerts.Add($"The subscription ended on {ChargeLines.Day(on)}; no further periods are billed{(billedThrough is { } through ? $" (billed through {ChargeLines.Day(through)}, no credit is raised)" : "")}.");
        if (ledger.ActivatedOn is not null)
            subscription.Periods = subscription.PeriodsBilled;
    }

    public static DateOnly? NextDue(ContractLedger ledger)
    {
        var subscription = ledger.Subscription!;
        if (!InTerm(subscription, subscription.PeriodsBilled) || ledger.CompletedOn is not null)
            return null;
        return PeriodOf(subscription, subscription.PeriodsBilled).Start;
    }
}
