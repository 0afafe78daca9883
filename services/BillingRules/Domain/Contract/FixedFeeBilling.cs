using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// Fixed fee: the fee whole on signing, or in parts (a percentage of the fee or an amount) on signing, on completion or
/// on a date. Percentage parts are allocated so that together they are exactly their share of the fee.
/// </summary>
internal static class FixedFeeBilling
{
    public const string WholeFeeId = "whole";

    public static string KeyOf(ContractInstalment part) => $"fee:{part.Id}";

    public static List<ContractInstalment> Plan(BillingTerms terms, decimal contractValue, string currency)
    {
        var parts = terms.Instalments.Count == 0
            ? [new ContractInstalment { Id = WholeFeeId, Label = "Fixed fee", Percent = 100m, Trigger = InstalmentTrigger.OnSigning }]
            : terms.Instalments.Select(i => new ContractInstalment
            {
                Id = i.Id.Trim(),
                Label = string.IsNullOrWhiteSpace(i.Label) ? null : i.Label.Trim(),
                Percent = i.Percent,
                Amount = i.Amount,
                Trigger = i.Trigger,
                Date = i.Date,
            }).ToList();
        Resolve(parts, contractValue, currency);
        return parts;
    }

    /// <summary>Amount parts bill their amount; percentage parts share their percentage of the fee by largest remainder.</summary>
    private static void Resolve(List<ContractInstalment> parts, decimal contractValue, string currency)
    {
        var percentParts = parts.Where(p => p.Percent is not null).ToList();
        foreach (var part in parts.Where(p => p.Percent is null))
            part.PlannedAmount = Money.Round(part.Amount ?? 0m, currency);
        var percentSum = percentParts.Sum(p => p.Percent!.Value);
        if (percentSum == 0m)
        {
            percentParts.ForEach(p => p.PlannedAmount = 0m);
            return;
        }
        var percentTotal = Money.Round(contractValue * percentSum / 100m, currency);
        var amounts = Money.Allocate(percentTotal, percentParts.Select(p => p.Percent!.Value).ToList(), currency);
        for (var i = 0; i < percentParts.Count; i++)
            percentParts[i].PlannedAmount = amounts[i];
    }

    public static void CheckPlan(ContractLedger ledger, ContractOutcome outcome)
    {
        var planned = ledger.Instalments.Sum(i => i.PlannedAmount);
        if (planned != ledger.ContractValue)
            outcome.Alerts.Add($"The fee's parts add up to {ChargeLines.Format(planned, ledger.Currency)}, not the contract value of {ChargeLines.Format(ledger.ContractValue, ledger.Currency)}; they are billed as planned.");
        foreach (var part in ledger.Instalments.Where(i => i.Trigger == InstalmentTrigger.OnDate && i.Date is null))
            outcome.Alerts.Add($"Fee part '{LabelOf(part)}' is to be billed on a date but names none; it is not billed until the terms give one.");
    }

    public static void Reach(ContractLedger ledger, string milestoneId, DateOnly on, ContractOutcome outcome)
    {
        var isCompletion = string.Equals(milestoneId, "completion", StringComparison.OrdinalIgnoreCase);
        var matched = ledger.Instalments.Where(i => isCompletion
            ? i.Trigger == InstalmentTrigger.OnCompletion
            : string.Equals(i.Id, milestoneId, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matched.Count == 0)
        {
            outcome.Alerts.Add($"Milestone {milestoneId} was reported, but no part of the fixed fee is billed on it; nothing was billed.");
            return;
        }
        foreach (var part in matched)
        {
            if (part.Trigger == InstalmentTrigger.OnCompletion)
                part.TriggeredOn ??= on;
            else
                outcome.Alerts.Add($"Milestone {milestoneId} was reported, but fee part '{LabelOf(part)}' is billed {(part.Trigger == InstalmentTrigger.OnSigning ? "on signing" : "on its date")}, not on a milestone.");
        }
        BillDue(ledger, on, outcome);
    }

    public static void Complete(ContractLedger ledger, DateOnly on, ContractOutcome outcome)
    {
        foreach (var part in ledger.Instalments.Where(i => i.Trigger == InstalmentTrigger.OnCompletion))
            part.TriggeredOn ??= on;
        BillDue(ledger, on, outcome);
    }

    /// <summary>Bills every part that is due by <paramref name="today"/> and not billed yet, in the order of the terms.</summary>
    public static void BillDue(ContractLedger ledger, DateOnly today, ContractOutcome outcome)
    {
        if (ledger.ActivatedOn is not { } activatedOn)
            return;
        foreach (var part in ledger.Instalments)
        {
            DateOnly? dueOn = part.Trigger switch
            {
                InstalmentTrigger.OnSigning => activatedOn,
                InstalmentTrigger.OnCompletion => part.TriggeredOn,
                _ => part.Date is { } date && date <= today ? date : null,
            };
            if (dueOn is null || ledger.IsIssued(KeyOf(part)))
                continue;
            if (part.PlannedAmount <= 0m)
            {
                outcome.Alerts.Add($"Fee part '{LabelOf(part)}' is due but has nothing to bill ({ChargeLines.Format(part.PlannedAmount, ledger.Currency)}).");
                ledger.Settle(KeyOf(part));
                continue;
            }
            ledger.Issue(new DueInvoice
            {
                Key = KeyOf(part),
                Kind = ChargeKind.FixedFee,
                BillOn = ledger.BillOn(dueOn.Value),
                Lines = LinesOf(ledger, part),
            }, outcome);
        }
    }

    /// <summary>The deal's product lines scaled to the part (allocated so they add up to it), or one line named after the deal.</summary>
    private static List<ChargeLine> LinesOf(ContractLedger ledger, ContractInstalment part)
    {
        var label = LabelOf(part);
        var weights = ledger.Lines.Select(l => Money.LineAmount(l.Quantity, l.UnitPrice, l.DiscountPercent, ledger.Currency)).ToList();
        if (weights.Count == 0 || weights.Sum() == 0m)
            return [ChargeLines.ForAmount($"{ledger.DealName}: {label}", null, part.PlannedAmount, 1m, ledger.Currency)];
        var amounts = Money.Allocate(part.PlannedAmount, weights, ledger.Currency);
        var lines = new List<ChargeLine>();
        for (var i = 0; i < ledger.Lines.Count; i++)
        {
            if (amounts[i] == 0m)
                continue;
            var line = ledger.Lines[i];
            lines.Add(ChargeLines.ForAmount($"{line.Description} ({label})", line.Product, amounts[i], line.Quantity, ledger.Currency));
        }
        return lines;
    }

    public static void Change(ContractLedger ledger, BillingTerms terms, decimal previousValue, DateOnly on, ContractOutcome outcome)
    {
        var replanned = Plan(terms, ledger.ContractValue, ledger.Currency);
        var old = ledger.Instalments.ToDictionary(i => i.Id, StringComparer.OrdinalIgnoreCase);
        var billed = ledger.Instalments.Where(i => ledger.IsIssued(KeyOf(i))).ToList();
        var billedIds = billed.Select(i => i.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var pending = replanned.Where(i => !billedIds.Contains(i.Id)).ToList();
        foreach (var part in pending)
        {
            if (old.TryGetValue(part.Id, out var before))
                part.TriggeredOn = before.TriggeredOn;
            if (ledger.CompletedOn is { } completedOn && part.Trigger == InstalmentTrigger.OnCompletion)
                part.TriggeredOn ??= completedOn;
        }

        var billedAmount = billed.Sum(i => i.PlannedAmount);
        var left = ledger.ContractValue - billedAmount;
        var pendingPlanned = pending.Sum(i => i.PlannedAmount);
        if (pending.Count > 0 && pendingPlanned != left)
        {
            if (left <= 0m)
            {
                pending.ForEach(p => p.PlannedAmount = 0m);
                outcome.Alerts.Add($"The fee changed to {ChargeLines.Format(ledger.ContractValue, ledger.Currency)} but {ChargeLines.Format(billedAmount, ledger.Currency)} is already billed; the parts not billed yet bill nothing and no credit is raised.");
            }
            else if (pendingPlanned > 0m)
            {
                var amounts = Money.Allocate(Money.Round(left, ledger.Currency), pending.Select(p => p.PlannedAmount).ToList(), ledger.Currency);
                for (var i = 0; i < pending.Count; i++)
                    pending[i].PlannedAmount = amounts[i];
            }
        }
        if (pending.Count == 0 && left != 0m)
            outcome.Alerts.Add($"The fee changed from {ChargeLines.Format(previousValue, ledger.Currency)} to {ChargeLines.Format(ledger.ContractValue, ledger.Currency)} after every part was billed; the difference of {ChargeLines.Format(left, ledger.Currency)} is not billed automatically.");
        else if (previousValue != ledger.ContractValue)
            outcome.Alerts.Add($"The fee changed from {ChargeLines.Format(previousValue, ledger.Currency)} to {ChargeLines.Format(ledger.ContractValue, ledger.Currency)}; the parts not billed yet now bill {string.Join(", ", pending.Select(p => $"'{LabelOf(p)}' {ChargeLines.Format(p.PlannedAmount, ledger.Currency)}"))}.");

        // Parts already billed stay as billed, even if the new terms no longer name them.
        ledger.Instalments = billed.Concat(pending).ToList();
        BillDue(ledger, on, outcome);
    }

    public static DateOnly? NextDue(ContractLedger ledger) => ledger.Instalments
        .Where(i => i.Trigger == InstalmentTrigger.OnDate && i.Date is not null && !ledger.IsIssued(KeyOf(i)) && i.PlannedAmount > 0m)
        .Select(i => i.Date)
        .Min();

    public static string LabelOf(ContractInstalment part) =>
        part.Label ?? (part.Percent is { } percent ? $"{ChargeLines.Percent(percent)} of the fee" : part.Id);
}
