using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// Time and materials, and the retainer that time draws down. Time is recorded as it is logged and billed when its
/// billing period closes: one line per person, role and rate, hours as the quantity, the period as the service dates.
/// </summary>
internal static class TimeBilling
{
    private sealed record TimeLine(string Person, string? Role, decimal Rate, string? Product, decimal Hours, decimal Amount, List<LoggedTime> Entries)
    {
        public string Description => Role is null ? Person : $"{Person} ({Role})";
    }

    public static string PeriodKey(DateOnly start) => $"tm:{ChargeLines.Day(start)}";

    public static void Log(ContractLedger ledger, TimeEntry entry, DateOnly today, ContractOutcome outcome)
    {
        var existing = ledger.TimeEntries.FirstOrDefault(e => string.Equals(e.EntryId, entry.EntryId, StringComparison.Ordinal));
        if (existing is not null)
        {
            if (existing.Hours != entry.Hours || existing.Date != entry.Date || existing.Billable != entry.Billable || existing.Rate != entry.Rate)
                outcome.Alerts.Add($"Time entry {entry.EntryId} arrived again with different details; the first version ({ChargeLines.Quantity(existing.Hours)} h on {ChargeLines.Day(existing.Date)}) is kept. Correct it by hand if needed.");
            return;
        }

        var logged = new LoggedTime
        {
            EntryId = entry.EntryId,
            Person = entry.Person.Trim(),
            Role = string.IsNullOrWhiteSpace(entry.Role) ? null : entry.Role.Trim(),
            Date = entry.Date,
            Hours = entry.Hours,
            Billable = entry.Billable,
            Rate = entry.Rate,
            Description = entry.Description,
            LoggedOn = today,
            Status = entry.Billable ? TimeEntryStatus.Open : TimeEntryStatus.NonBillable,
        };
        var own = BillingPeriods.Containing(ledger.Period, entry.Date, ledger.SignedOn);
        if (ledger.ClosedThrough is { } closedThrough && entry.Date <= closedThrough)
        {
            logged.Late = true;
            logged.PeriodStart = BillingPeriods.Containing(ledger.Period, closedThrough.AddDays(1), ledger.SignedOn).Start;
        }
        else
            logged.PeriodStart = own.Start;
        ledger.TimeEntries.Add(logged);

        if (!logged.Billable)
            return;
        if (ledger.Model is not (BillingModel.TimeAndMaterials or BillingModel.Retainer))
        {
            logged.Status = TimeEntryStatus.NonBillable;
            outcome.Alerts.Add($"Time entry {entry.EntryId} ({logged.Person}, {ChargeLines.Day(entry.Date)}) was logged on a {BillingContract.Describe(ledger.Model)} deal, whose time is not billed; it is recorded only.");
        }
        else if (IsFinished(ledger))
        {
            logged.Status = TimeEntryStatus.AfterCompletion;
            outcome.Alerts.Add($"Time entry {entry.EntryId} ({logged.Person}, {ChargeLines.Day(entry.Date)}) arrived after the project's final bill; it is recorded but not billed.");
        }
        else if (ledger.Model == BillingModel.TimeAndMaterials && ledger.CapReached)
        {
            logged.Status = TimeEntryStatus.OverCap;
            outcome.Alerts.Add($"Time entry {entry.EntryId} ({logged.Person}, {ChargeLines.Quantity(logged.Hours)} h on {ChargeLines.Day(entry.Date)}) is recorded but not billed: the not-to-exceed cap of {ChargeLines.Format(ledger.NotToExceed ?? 0m, ledger.Currency)} is reached.");
        }
        else if (RateOf(ledger, logged) is null)
            outcome.Alerts.Add(NoRateAlert(logged));
    }

    private static string NoRateAlert(LoggedTime entry) =>
        $"Time entry {entry.EntryId} ({entry.Person}{(entry.Role is null ? "" : ", " + entry.Role)}, {ChargeLines.Quantity(entry.Hours)} h on {ChargeLines.Day(entry.Date)}) has no rate: it names none and the rate card has none for the person or the role. It is not billed until the rate card gives one.";

    /// <summary>The entry's own rate, else the person's on the rate card, else the role's; the product from the card.</summary>
    internal static (decimal Rate, string? Product)? RateOf(ContractLedger ledger, LoggedTime entry)
    {
        var personal = ledger.RateCard
            .Where(r => r.Person is not null && string.Equals(r.Person, entry.Person, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(r => string.Equals(r.Role, entry.Role, StringComparison.OrdinalIgnoreCase))
            .FirstOrDefault();
        var byRole = entry.Role is null
            ? null
            : ledger.RateCard.FirstOrDefault(r => r.Person is null && string.Equals(r.Role, entry.Role, StringComparison.OrdinalIgnoreCase));
        // A person's own rate bills under the role's product unless the person's entry names another.
        var product = personal?.Product ?? byRole?.Product;
        if (entry.Rate is { } own)
            return (own, product);
        var card = personal ?? byRole;
        return card is null ? null : (card.Rate, product);
    }

    public static void BillDeposit(ContractLedger ledger, ContractOutcome outcome)
    {
        var account = ledger.Retainer!;
        const string key = "retainer:deposit";
        if (ledger.IsIssued(key) || account.Deposit <= 0m)
            return;
        var billOn = ledger.ActivatedOn!.Value;
        if (ledger.Issue(new DueInvoice
            {
                Key = key,
                Kind = ChargeKind.RetainerDeposit,
                BillOn = billOn,
                Lines = [ChargeLines.ForAmount($"{ledger.DealName}: retainer deposit", null, account.Deposit, 1m, ledger.Currency)],
            }, outcome))
            PayIn(account, billOn, RetainerEntryKind.Deposit, account.Deposit, key);
    }

    private static void PayIn(RetainerAccount account, DateOnly on, RetainerEntryKind kind, decimal amount, string reference)
    {
        account.Deposited += amount;
        account.Balance += amount;
        account.Entries.Add(new RetainerEntry { Date = on, Kind = kind, Amount = amount, BalanceAfter = account.Balance, Reference = reference });
    }

    /// <summary>The period the next close is for: the one after the last closed, or the first with time or the signing.</summary>
    private static DateSpan NextPeriod(ContractLedger ledger)
    {
        if (ledger.ClosedThrough is { } closedThrough)
            return BillingPeriods.Containing(ledger.Period, closedThrough.AddDays(1), ledger.SignedOn);
        var earliest = ledger.TimeEntries.Where(e => e.Status == TimeEntryStatus.Open).Select(e => e.PeriodStart).Append(ledger.SignedOn).Min();
        return BillingPeriods.Containing(ledger.Period, earliest, ledger.SignedOn);
    }

    public static bool IsFinished(ContractLedger ledger) =>
        ledger.CompletedOn is { } completedOn && ledger.ClosedThrough is { } closedThrough && closedThrough >= completedOn;

    public static DateOnly? NextDue(ContractLedger ledger)
    {
        if (ledger.CompletedOn is not null || (ledger.Model == BillingModel.TimeAndMaterials && ledger.CapReached))
            return null;
        return NextPeriod(ledger).EndExclusive;
    }

    /// <summary>Closes every period whose last day is before <paramref name="today"/>, oldest first.</summary>
    public static void CloseEndedPeriods(ContractLedger ledger, DateOnly today, ContractOutcome outcome)
    {
        if (ledger.CompletedOn is not null)
        {
            FinishIfCompleted(ledger, outcome);
            return;
        }
        for (var period = NextPeriod(ledger); period.EndExclusive <= today; period = NextPeriod(ledger))
            Close(ledger, period, final: false, outcome);
    }

    /// <summary>Once the project is complete and the customer active: the periods up to completion, the last one cut short.</summary>
    public static void FinishIfCompleted(ContractLedger ledger, ContractOutcome outcome)
    {
        if (ledger.ActivatedOn is null || ledger.CompletedOn is not { } completedOn || IsFinished(ledger))
            return;
        for (var period = NextPeriod(ledger); period.Last < completedOn; period = NextPeriod(ledger))
            Close(ledger, period, final: false, outcome);
        var last = NextPeriod(ledger);
        Close(ledger, new DateSpan(last.Start, completedOn.AddDays(1)), final: true, outcome);

        foreach (var entry in ledger.TimeEntries.Where(e => e.Status == TimeEntryStatus.Open))
        {
            entry.Status = TimeEntryStatus.AfterCompletion;
            outcome.Alerts.Add($"Time entry {entry.EntryId} ({entry.Person}, {ChargeLines.Day(entry.Date)}) is dated after the project was completed on {ChargeLines.Day(completedOn)}; it is recorded but not billed.");
        }
        if (ledger.Retainer is { Balance: > 0m } account)
            outcome.Alerts.Add($"The project is complete with {ChargeLines.Format(account.Balance, ledger.Currency)} of the retainer unused; no credit is raised automatically.");
    }

    private static void Close(ContractLedger ledger, DateSpan period, bool final, ContractOutcome outcome)
    {
        var entries = ledger.TimeEntries
            .Where(e => e.Status == TimeEntryStatus.Open && e.PeriodStart == period.Start && (!final || e.Late || e.Date <= period.Last))
            .ToList();
        var priced = new List<(LoggedTime Entry, decimal Rate, string? Product)>();
        foreach (var entry in entries)
        {
            if (RateOf(ledger, entry) is { } rate)
                priced.Add((entry, rate.Rate, rate.Product));
            else
            {
                entry.Status = TimeEntryStatus.NoRate;
                outcome.Alerts.Add(NoRateAlert(entry));
            }
        }
        var lines = priced
            .GroupBy(p => (Person: p.Entry.Person.ToUpperInvariant(), Role: p.Entry.Role?.ToUpperInvariant(), p.Rate, p.Product))
            .Select(g =>
            {
                var hours = g.Sum(p => p.Entry.Hours);
                var first = g.First().Entry;
                return new TimeLine(first.Person, first.Role, g.Key.Rate, g.Key.Product, hours,
                    Money.LineAmount(hours, g.Key.Rate, 0m, ledger.Currency), g.Select(p => p.Entry).ToList());
            })
            .OrderBy(l => l.Person, StringComparer.OrdinalIgnoreCase)
            .ThenBy(l => l.Role ?? string.Empty, StringComparer.OrdinalIgnoreCase)
            .ThenBy(l => l.Rate)
            .ToList();

        if (ledger.Model == BillingModel.Retainer)
            DrawDown(ledger, period, final, lines, outcome);
        else
            BillTime(ledger, period, lines, outcome);
        ledger.ClosedThrough = period.Last;
    }

    private static void BillTime(ContractLedger ledger, DateSpan period, List<TimeLine> lines, ContractOutcome outcome)
    {
        var currency = ledger.Currency;
        var key = PeriodKey(period.Start);
        var invoice = new DueInvoice { Key = key, Kind = ChargeKind.TimeAndMaterials, BillOn = ledger.BillOn(period.EndExclusive) };
        var room = ledger.NotToExceed is { } cap ? cap - ledger.Billed : decimal.MaxValue;
        string? cut = null;
        foreach (var line in lines)
        {
            if (ledger.CapReached || room <= 0m)
            {
                line.Entries.ForEach(e => e.Status = TimeEntryStatus.OverCap);
                continue;
            }
            var amount = Math.Min(line.Amount, room);
            invoice.Lines.Add(amount == line.Amount
                ? ChargeLines.Priced(line.Description, line.Product, line.Hours, line.Rate, currency, period.Start, period.Last)
                : ChargeLines.ForTimeAmount(line.Description, line.Product, amount, line.Rate, currency, period.Start, period.Last));
            if (amount != line.Amount)
                cut = $"{line.Description}'s {ChargeLines.Quantity(line.Hours)} h ({ChargeLines.Format(line.Amount, currency)}) are billed as {ChargeLines.Format(amount, currency)}";
            line.Entries.ForEach(e => Billed(e, line.Rate, key));
            room -= amount;
            if (room <= 0m && ledger.NotToExceed is not null)
            {
                ledger.CapReached = true;
                outcome.CapReached = true;
            }
        }
        AddLateNotes(invoice, lines.Where(l => l.Entries.Any(e => e.Status == TimeEntryStatus.Billed)));
        if (invoice.Lines.Count > 0)
            ledger.Issue(invoice, outcome);
        if (outcome.CapReached)
            outcome.Alerts.Add($"The not-to-exceed cap of {ChargeLines.Format(ledger.NotToExceed!.Value, currency)} is reached with the time of {ChargeLines.Day(period.Start)} to {ChargeLines.Day(period.Last)}{(cut is null ? "" : "; " + cut)}. Later billable time is recorded but not billed.");
    }

    private static void DrawDown(ContractLedger ledger, DateSpan period, bool final, List<TimeLine> lines, ContractOutcome outcome)
    {
        var account = ledger.Retainer!;
        var currency = ledger.Currency;
        var reference = PeriodKey(period.Start);
        var overageKey = $"retainer:overage:{ChargeLines.Day(period.Start)}";
        var overage = new DueInvoice { Key = overageKey, Kind = ChargeKind.RetainerOverage, BillOn = ledger.BillOn(period.EndExclusive) };
        var value = lines.Sum(l => l.Amount);
        var drawn = 0m;
        foreach (var line in lines)
        {
            var fromBalance = Math.Min(line.Amount, account.Balance - drawn);
            drawn += fromBalance;
            var rest = line.Amount - fromBalance;
            if (rest == 0m)
            {
                line.Entries.ForEach(e => { e.Status = TimeEntryStatus.DrawnDown; e.BilledRate = line.Rate; e.BilledIn = reference; });
                continue;
            }
            overage.Lines.Add(fromBalance == 0m
                ? ChargeLines.Priced(line.Description, line.Product, line.Hours, line.Rate, currency, period.Start, period.Last)
                : ChargeLines.ForTimeAmount(line.Description, line.Product, rest, line.Rate, currency, period.Start, period.Last));
            line.Entries.ForEach(e => Billed(e, line.Rate, overageKey));
        }

        var closedOn = period.EndExclusive;
        if (drawn > 0m)
        {
            account.DrawnDown += drawn;
            account.Balance -= drawn;
            account.Entries.Add(new RetainerEntry { Date = closedOn, Kind = RetainerEntryKind.Drawdown, Amount = drawn, BalanceAfter = account.Balance, Reference = reference });
        }
        if (overage.Lines.Count > 0)
        {
            overage.Notes.Add($"The retainer covered {ChargeLines.Format(drawn, currency)} of the {ChargeLines.Format(value, currency)} of time from {ChargeLines.Day(period.Start)} to {ChargeLines.Day(period.Last)}; the rest is billed as overage.");
            AddLateNotes(overage, lines);
            ledger.Issue(overage, outcome);
            outcome.Alerts.Add($"The retainer ran out: {ChargeLines.Format(overage.Total, currency)} of time from {ChargeLines.Day(period.Start)} to {ChargeLines.Day(period.Last)} is billed as overage.");
        }

        var replenishmentKey = $"retainer:replenishment:{ChargeLines.Day(period.Start)}";
        if (!final && value > 0m && account.Balance < account.Threshold && !ledger.IsIssued(replenishmentKey))
        {
            var amount = account.Replenishment ?? account.Deposit;
            if (amount <= 0m)
                return;
            if (ledger.Issue(new DueInvoice
                {
                    Key = replenishmentKey,
                    Kind = ChargeKind.RetainerReplenishment,
                    BillOn = ledger.BillOn(closedOn),
                    Lines = [ChargeLines.ForAmount($"{ledger.DealName}: retainer replenishment", null, amount, 1m, currency)],
                    Notes = [$"The retainer balance of {ChargeLines.Format(account.Balance, currency)} fell below {ChargeLines.Format(account.Threshold, currency)}."],
                }, outcome))
                PayIn(account, closedOn, RetainerEntryKind.Replenishment, amount, replenishmentKey);
        }
    }

    private static void Billed(LoggedTime entry, decimal rate, string key)
    {
        entry.Status = TimeEntryStatus.Billed;
        entry.BilledRate = rate;
        entry.BilledIn = key;
    }

    private static void AddLateNotes(DueInvoice invoice, IEnumerable<TimeLine> lines)
    {
        foreach (var entry in lines.SelectMany(l => l.Entries).Where(e => e.Late).OrderBy(e => e.Date).ThenBy(e => e.EntryId, StringComparer.Ordinal))
            invoice.Notes.Add($"Includes time entry {entry.EntryId} ({entry.Person}, {ChargeLines.Quantity(entry.Hours)} h on {ChargeLines.Day(entry.Date)}), logged after its own period had been billed.");
    }

    public static void Change(ContractLedger ledger, BillingTerms terms, ContractOutcome outcome)
    {
        ledger.RateCard = ProductKeys.RateCard(terms.RateCard, []);
        if (terms.Period != ledger.Period)
            outcome.Alerts.Add($"The billing period changed from {ledger.Period} to {terms.Period}; periods already under way keep the {ledger.Period} calendar, so the change was not applied.");
        if (ledger.Model == BillingModel.TimeAndMaterials && terms.NotToExceed != ledger.NotToExceed)
        {
            ledger.NotToExceed = terms.NotToExceed;
            var stillCapped = terms.NotToExceed is { } cap && ledger.Billed >= cap;
            if (ledger.CapReached && !stillCapped)
            {
                ledger.CapReached = false;
                outcome.Alerts.Add($"The not-to-exceed cap is now {(terms.NotToExceed is { } c ? ChargeLines.Format(c, ledger.Currency) : "removed")}; time from now on is billed again. Time that was over the old cap stays unbilled.");
            }
            else if (!ledger.CapReached && stillCapped)
            {
                ledger.CapReached = true;
                outcome.CapReached = true;
                outcome.Alerts.Add($"The new not-to-exceed cap of {ChargeLines.Format(terms.NotToExceed!.Value, ledger.Currency)} is at or below the {ChargeLines.Format(ledger.Billed, ledger.Currency)} already billed; later time is recorded but not billed.");
            }
        }
        if (ledger.Retainer is { } account && terms.Retainer is { } retainer)
        {
            account.Deposit = Money.Round(retainer.Deposit, ledger.Currency);
            account.Threshold = retainer.Threshold;
            account.Replenishment = retainer.Replenishment is { } r ? Money.Round(r, ledger.Currency) : null;
        }
        foreach (var entry in ledger.TimeEntries.Where(e => e.Status == TimeEntryStatus.NoRate && RateOf(ledger, e) is not null))
        {
            entry.Status = TimeEntryStatus.Open;
            entry.Late = true;
            entry.PeriodStart = NextPeriod(ledger).Start;
        }
    }
}
