using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// Milestones: each planned milestone bills its amount (or its percentage of the contract value) once, when reached;
/// the last planned milestone billed takes whatever is left, so that the milestone invoices add up to the contract
/// value exactly. A milestone outside the plan bills its own amount, never beyond what is left.
/// </summary>
internal static class MilestoneBilling
{
    public static string KeyOf(ContractMilestone milestone) => $"milestone:{milestone.Id}";

    public static List<ContractMilestone> Plan(BillingTerms terms) => terms.Milestones.Select(m => new ContractMilestone
    {
        Id = m.Id.Trim(),
        Name = m.Name,
        Percent = m.Percent,
        Amount = m.Amount,
        Planned = true,
    }).ToList();

    private static decimal? Requested(ContractMilestone milestone, ContractLedger ledger) =>
        milestone.Amount is { } amount ? Money.Round(amount, ledger.Currency)
        : milestone.Percent is { } percent ? Money.Round(ledger.ContractValue * percent / 100m, ledger.Currency)
        : null;

    public static void CheckPlan(ContractLedger ledger, ContractOutcome outcome)
    {
        var planned = ledger.Milestones.Where(m => m.Planned).ToList();
        if (planned.Count == 0)
        {
            outcome.Alerts.Add("The milestone plan is empty; only milestones reported with their own amount will be billed.");
            return;
        }
        var exact = planned.Sum(m => m.Amount ?? ledger.ContractValue * (m.Percent ?? 0m) / 100m);
        if (exact != ledger.ContractValue)
            outcome.Alerts.Add($"The milestone plan adds up to {ChargeLines.Format(exact, ledger.Currency)}, not the contract value of {ChargeLines.Format(ledger.ContractValue, ledger.Currency)}; the last milestone billed takes the difference.");
    }

    public static void Reach(ContractLedger ledger, string id, string name, decimal? percent, decimal? amount, DateOnly on, ContractOutcome outcome)
    {
        var milestone = ledger.Milestones.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.OrdinalIgnoreCase));
        if (milestone is null)
        {
            milestone = new ContractMilestone { Id = id, Name = string.IsNullOrWhiteSpace(name) ? id : name, Percent = percent, Amount = amount, Planned = false, ReachedOn = on };
            ledger.Milestones.Add(milestone);
            if (percent is null && amount is null)
                outcome.Alerts.Add($"Milestone '{milestone.Name}' ({id}) is not in the plan and was reported without an amount or percentage; nothing was billed. Bill it by hand if it is billable.");
        }
        else if (milestone.ReachedOn is null)
        {
            milestone.ReachedOn = on;
            if (milestone.Planned && ((amount is not null && amount != milestone.Amount) || (percent is not null && percent != milestone.Percent)))
                outcome.Alerts.Add($"Milestone '{milestone.Name}' ({id}) was reported with {(amount is not null ? ChargeLines.Format(amount.Value, ledger.Currency) : ChargeLines.Percent(percent!.Value))}, which differs from the plan; it is billed as planned.");
        }
        BillReached(ledger, outcome);
    }

    /// <summary>Bills every reached milestone not billed yet, in the order they were reached.</summary>
    public static void BillReached(ContractLedger ledger, ContractOutcome outcome)
    {
        if (ledger.ActivatedOn is null)
            return;
        var reached = ledger.Milestones
            .Select((m, index) => (Milestone: m, Index: index))
            .Where(x => x.Milestone.ReachedOn is not null && !ledger.IsIssued(KeyOf(x.Milestone)))
            .OrderBy(x => x.Milestone.ReachedOn).ThenBy(x => x.Index)
            .Select(x => x.Milestone)
            .ToList();
        foreach (var milestone in reached)
            Bill(ledger, milestone, outcome);
    }

    private static void Bill(ContractLedger ledger, ContractMilestone milestone, ContractOutcome outcome)
    {
        var requested = Requested(milestone, ledger);
        if (!milestone.Planned && requested is null)
            return;
        var currency = ledger.Currency;
        var left = ledger.ContractValue - ledger.Milestones.Sum(m => m.BilledAmount ?? 0m);
        var isLastPlanned = milestone.Planned
            && ledger.Milestones.All(m => !m.Planned || ReferenceEquals(m, milestone) || ledger.IsIssued(KeyOf(m)));
        decimal amount;
        if (isLastPlanned)
        {
            amount = Math.Max(left, 0m);
            var plannedCount = ledger.Milestones.Count(m => m.Planned);
            if (Math.Abs(amount - (requested ?? 0m)) >= plannedCount * Money.SmallestUnit(currency))
                outcome.Alerts.Add($"Milestone '{milestone.Name}' is the last of the plan and bills {ChargeLines.Format(amount, currency)} instead of {ChargeLines.Format(requested ?? 0m, currency)}, so that the milestones add up to the contract value of {ChargeLines.Format(ledger.ContractValue, currency)}.");
        }
        else
        {
            amount = requested ?? 0m;
            if (amount > left)
            {
                outcome.Alerts.Add($"Milestone '{milestone.Name}' would bill {ChargeLines.Format(amount, currency)} but only {ChargeLines.Format(Math.Max(left, 0m), currency)} of the contract value is left; it bills {ChargeLines.Format(Math.Max(left, 0m), currency)}.");
                amount = Math.Max(left, 0m);
            }
        }

        milestone.BilledAmount = amount;
        if (amount <= 0m)
        {
            ledger.Settle(KeyOf(milestone));
            return;
        }
        var planned = ledger.Milestones.Where(m => m.Planned).ToList();
        var position = planned.IndexOf(milestone);
        var title = position >= 0 ? $"{ledger.DealName}: milestone {position + 1} of {planned.Count}, {milestone.Name}" : $"{ledger.DealName}: {milestone.Name}";
        ledger.Issue(new DueInvoice
        {
            Key = KeyOf(milestone),
            Kind = ChargeKind.Milestone,
            BillOn = ledger.BillOn(milestone.ReachedOn!.Value),
            Lines = [ChargeLines.ForAmount(title, ledger.SingleProduct(), amount, 1m, currency)],
        }, outcome);
    }

    public static void Change(ContractLedger ledger, BillingTerms terms, decimal previousValue, ContractOutcome outcome)
    {
        var currency = ledger.Currency;
        var plan = Plan(terms);
        var ids = plan.Select(m => m.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var dropped in ledger.Milestones.Where(m => m.Planned && !ids.Contains(m.Id) && !ledger.IsIssued(KeyOf(m))).ToList())
        {
            ledger.Milestones.Remove(dropped);
            outcome.Alerts.Add($"Milestone '{dropped.Name}' ({dropped.Id}) is no longer in the plan and will not be billed.");
        }
        foreach (var term in plan)
        {
            var existing = ledger.Milestones.FirstOrDefault(m => string.Equals(m.Id, term.Id, StringComparison.OrdinalIgnoreCase));
            if (existing is null)
                ledger.Milestones.Add(term);
            else if (!ledger.IsIssued(KeyOf(existing)))
            {
                existing.Name = term.Name;
                existing.Percent = term.Percent;
                existing.Amount = term.Amount;
                existing.Planned = true;
            }
        }
        if (previousValue != ledger.ContractValue)
            outcome.Alerts.Add($"The contract value changed from {ChargeLines.Format(previousValue, currency)} to {ChargeLines.Format(ledger.ContractValue, currency)}; milestones not billed yet follow the new plan.");
        var billed = ledger.Milestones.Sum(m => m.BilledAmount ?? 0m);
        if (billed > ledger.ContractValue)
            outcome.Alerts.Add($"{ChargeLines.Format(billed, currency)} is already billed, more than the new contract value; no credit is raised.");
        BillReached(ledger, outcome);
    }

    public static void Complete(ContractLedger ledger, ContractOutcome outcome)
    {
        var open = ledger.Milestones.Where(m => m.Planned && m.ReachedOn is null).Select(m => $"'{m.Name}'").ToList();
        if (open.Count > 0)
            outcome.Alerts.Add($"The project is complete but milestones {string.Join(", ", open)} were never reported; they are billed when they are.");
    }

    public static bool IsFullyBilled(ContractLedger ledger)
    {
        var planned = ledger.Milestones.Where(m => m.Planned).ToList();
        var billed = ledger.Milestones.Sum(m => m.BilledAmount ?? 0m);
        return (planned.Count > 0 && planned.All(m => ledger.IsIssued(KeyOf(m)))) || (ledger.ContractValue > 0m && billed >= ledger.ContractValue);
    }
}
