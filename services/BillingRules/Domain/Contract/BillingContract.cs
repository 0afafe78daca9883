using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// The five billing models (BIL-1) as one contract per deal: the saga starts a <see cref="ContractLedger"/> from the
/// won deal's <see cref="BillingTerms"/>, then hands every event to it and drafts the <see cref="DueInvoice"/>s that
/// come back. Every call is idempotent by invoice key: a re-delivered message finds its keys in
/// <see cref="ContractLedger.IssuedKeys"/> and produces no invoice. Nothing is billed before <see cref="Activate"/>;
/// what happened before (a milestone, completion, time) is recorded and billed from then on. An invoice's date
/// (<see cref="DueInvoice.BillOn"/>) is the date its contract event names, never before activation.
/// </summary>
public static class BillingContract
{
    /// <summary>A ledger for a won deal: the terms copied in, nothing billed yet.</summary>
    /// <exception cref="ArgumentException">A retainer or subscription deal without its terms.</exception>
    public static ContractLedger Start(string dealName, BillingTerms terms, IReadOnlyList<DealLine> lines, decimal contractValue,
        string currency, DateOnly signedOn)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentException.ThrowIfNullOrWhiteSpace(currency);
        var ledger = new ContractLedger
        {
            Model = terms.Model,
            DealName = string.IsNullOrWhiteSpace(dealName) ? "Deal" : dealName.Trim(),
            Currency = currency.Trim().ToUpperInvariant(),
            ContractValue = contractValue,
            SignedOn = signedOn,
            PurchaseOrder = terms.PurchaseOrder,
            Lines = lines.Select(l => new ContractLine
            {
                Description = l.Description,
                Product = ProductKeys.Of(l),
                Quantity = l.Quantity,
                UnitPrice = l.UnitPrice,
                DiscountPercent = l.DiscountPercent,
            }).ToList(),
            Period = terms.Period,
            NotToExceed = terms.NotToExceed,
        };
        ledger.RateCard = ProductKeys.RateCard(terms.RateCard, lines);
        switch (terms.Model)
        {
            case BillingModel.FixedFee:
                ledger.Instalments = FixedFeeBilling.Plan(terms, contractValue, ledger.Currency);
                break;
            case BillingModel.Milestones:
                ledger.Milestones = MilestoneBilling.Plan(terms);
                break;
            case BillingModel.Retainer:
                var retainer = terms.Retainer ?? throw new ArgumentException("A retainer deal needs its retainer terms (deposit, threshold).", nameof(terms));
                ledger.Retainer = new RetainerAccount
                {
                    Deposit = Money.Round(retainer.Deposit, ledger.Currency),
                    Threshold = retainer.Threshold,
                    Replenishment = retainer.Replenishment is { } r ? Money.Round(r, ledger.Currency) : null,
                };
                break;
            case BillingModel.Subscription:
                var subscription = terms.Subscription ?? throw new ArgumentException("A subscription deal needs its subscription terms (price, seats).", nameof(terms));
                ledger.Subscription = new ContractSubscription
                {
                    Interval = subscription.Interval,
                    UnitPrice = subscription.UnitPrice,
                    Seats = subscription.Quantity,
                    CoveredSeats = 0m,
                    StartDate = subscription.StartDate ?? signedOn,
                    Periods = subscription.Periods,
                    Product = ProductKeys.Of(subscription.Product, lines),
                };
                break;
        }
        return ledger;
    }

    /// <summary>
    /// The customer is ready to bill: what is due on signing (fee parts, the retainer deposit, the first subscription
    /// period), and whatever was recorded before and is due now.
    /// </summary>
    public static ContractOutcome Activate(ContractLedger ledger, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var outcome = new ContractOutcome();
        var first = ledger.ActivatedOn is null;
        ledger.ActivatedOn ??= today;
        switch (ledger.Model)
        {
            case BillingModel.FixedFee:
                if (first)
                    FixedFeeBilling.CheckPlan(ledger, outcome);
                FixedFeeBilling.BillDue(ledger, today, outcome);
                break;
            case BillingModel.Milestones:
                if (first)
                    MilestoneBilling.CheckPlan(ledger, outcome);
                MilestoneBilling.BillReached(ledger, outcome);
                break;
            case BillingModel.TimeAndMaterials:
                TimeBilling.FinishIfCompleted(ledger, outcome);
                break;
            case BillingModel.Retainer:
                TimeBilling.BillDeposit(ledger, outcome);
                TimeBilling.FinishIfCompleted(ledger, outcome);
                break;
            case BillingModel.Subscription:
                SubscriptionBilling.BillPeriods(ledger, today, outcome);
                break;
        }
        return outcome;
    }

    /// <summary>
    /// A milestone was reached. Milestones: a planned one bills its part once, an unplanned one with an amount or
    /// percentage bills it within what is left of the contract value. Fixed fee: the completion parts
    /// (<paramref name="milestoneId"/> "completion") or the completion part of that ID.
    /// </summary>
    public static ContractOutcome ReachMilestone(ContractLedger ledger, string milestoneId, string name, decimal? percent, decimal? amount, DateOnly on)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentException.ThrowIfNullOrWhiteSpace(milestoneId);
        var outcome = new ContractOutcome();
        switch (ledger.Model)
        {
            case BillingModel.Milestones:
                MilestoneBilling.Reach(ledger, milestoneId.Trim(), name, percent, amount, on, outcome);
                break;
            case BillingModel.FixedFee:
                FixedFeeBilling.Reach(ledger, milestoneId.Trim(), on, outcome);
                break;
            default:
                outcome.Alerts.Add($"Milestone '{name}' ({milestoneId}) was reported, but a {Describe(ledger.Model)} deal is not billed by milestones; nothing was billed.");
                break;
        }
        return outcome;
    }

    /// <summary>
    /// The hourly rate a time entry is worth and the product it books to: the entry's own rate, else the person's on
    /// the rate card, else the role's; the product from the card. Null when neither the entry nor the card gives a rate.
    /// </summary>
    public static (decimal Rate, string? Product)? RateOf(ContractLedger ledger, LoggedTime entry)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(entry);
        return TimeBilling.RateOf(ledger, entry);
    }

    /// <summary>Records time worked (billable or not). It is billed when its period closes (<see cref="Advance"/>), never here.</summary>
    public static ContractOutcome LogTime(ContractLedger ledger, TimeEntry entry, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(entry);
        var outcome = new ContractOutcome();
        TimeBilling.Log(ledger, entry, today, outcome);
        return outcome;
    }

    /// <summary>
    /// The day has come: closes time-billing periods whose last day is before <paramref name="today"/>, bills dated
    /// fee parts and subscription periods that have started.
    /// </summary>
    public static ContractOutcome Advance(ContractLedger ledger, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var outcome = new ContractOutcome();
        if (ledger.ActivatedOn is null)
            return outcome;
        switch (ledger.Model)
        {
            case BillingModel.FixedFee:
                FixedFeeBilling.BillDue(ledger, today, outcome);
                break;
            case BillingModel.TimeAndMaterials:
            case BillingModel.Retainer:
                TimeBilling.CloseEndedPeriods(ledger, today, outcome);
                break;
            case BillingModel.Subscription:
                SubscriptionBilling.BillPeriods(ledger, today, outcome);
                break;
        }
        return outcome;
    }

    /// <summary>
    /// The deal's terms or value changed. Subscription: more seats bill the extra seats prorated for the rest of the
    /// current period and every later period at the new count; fewer seats apply from the next period. Fixed fee and
    /// milestones: the parts not billed yet are planned again so that everything adds up to the new value. Time and
    /// retainer: the rate card, cap and retainer amounts apply from now on.
    /// </summary>
    public static ContractOutcome Change(ContractLedger ledger, BillingTerms terms, decimal contractValue, DateOnly on)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(terms);
        var outcome = new ContractOutcome();
        if (terms.Model != ledger.Model)
        {
            outcome.Alerts.Add($"The deal's billing model changed from {Describe(ledger.Model)} to {Describe(terms.Model)}; a contract's model cannot change once won, so the change was not applied.");
            return outcome;
        }
        var previousValue = ledger.ContractValue;
        ledger.ContractValue = contractValue;
        ledger.PurchaseOrder = terms.PurchaseOrder;
        switch (ledger.Model)
        {
            case BillingModel.FixedFee:
                FixedFeeBilling.Change(ledger, terms, previousValue, on, outcome);
                break;
            case BillingModel.Milestones:
                MilestoneBilling.Change(ledger, terms, previousValue, outcome);
                break;
            case BillingModel.TimeAndMaterials:
            case BillingModel.Retainer:
                TimeBilling.Change(ledger, terms, outcome);
                break;
            case BillingModel.Subscription:
                SubscriptionBilling.Change(ledger, terms, on, outcome);
                break;
        }
        return outcome;
    }

    /// <summary>
    /// The project is complete: completion parts of a fixed fee, the final (possibly short) time-billing period, and
    /// the end of a subscription's renewals.
    /// </summary>
    public static ContractOutcome Complete(ContractLedger ledger, DateOnly on)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var outcome = new ContractOutcome();
        if (ledger.CompletedOn is not null && ledger.CompletedOn != on)
            outcome.Alerts.Add($"Completion was reported again for {ChargeLines.Day(on)}; the deal was completed on {ChargeLines.Day(ledger.CompletedOn.Value)} and stays so.");
        ledger.CompletedOn ??= on;
        var completedOn = ledger.CompletedOn.Value;
        switch (ledger.Model)
        {
            case BillingModel.FixedFee:
                FixedFeeBilling.Complete(ledger, completedOn, outcome);
                break;
            case BillingModel.Milestones:
                MilestoneBilling.Complete(ledger, outcome);
                break;
            case BillingModel.TimeAndMaterials:
            case BillingModel.Retainer:
                TimeBilling.FinishIfCompleted(ledger, outcome);
                break;
            case BillingModel.Subscription:
                SubscriptionBilling.Complete(ledger, completedOn, outcome);
                break;
        }
        return outcome;
    }

    /// <summary>The day <see cref="Advance"/> next has something to do, or null when only an event can bring more billing.</summary>
    public static DateOnly? NextDue(ContractLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        if (ledger.ActivatedOn is null)
            return null;
        return ledger.Model switch
        {
            BillingModel.FixedFee => FixedFeeBilling.NextDue(ledger),
            BillingModel.TimeAndMaterials or BillingModel.Retainer => TimeBilling.NextDue(ledger),
            BillingModel.Subscription => SubscriptionBilling.NextDue(ledger),
            _ => null,
        };
    }

    /// <summary>
    /// True when the contract can bill nothing more: every fee part or planned milestone billed (or the contract value
    /// reached), time billed through completion or up to the cap, a fixed-term subscription's last period billed.
    /// </summary>
    public static bool IsFullyBilled(ContractLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        return ledger.Model switch
        {
            BillingModel.FixedFee => ledger.Instalments.All(i => ledger.IsIssued(FixedFeeBilling.KeyOf(i))),
            BillingModel.Milestones => MilestoneBilling.IsFullyBilled(ledger),
            BillingModel.TimeAndMaterials => ledger.CapReached || TimeBilling.IsFinished(ledger),
            BillingModel.Retainer => TimeBilling.IsFinished(ledger),
            BillingModel.Subscription => ledger.Subscription is { Periods: { } periods } s && s.PeriodsBilled >= periods,
            _ => false,
        };
    }

    internal static string Describe(BillingModel model) => model switch
    {
        BillingModel.FixedFee => "fixed-fee",
        BillingModel.Milestones => "milestone",
        BillingModel.TimeAndMaterials => "time-and-materials",
        BillingModel.Retainer => "retainer",
        _ => "subscription",
    };
}
