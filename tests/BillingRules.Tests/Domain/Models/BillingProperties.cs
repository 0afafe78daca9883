using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using QuoteToCash.BillingRules.Domain;
using QuoteToCash.Contracts;
using static QuoteToCash.BillingRules.Tests.Domain.Models.Deals;

namespace QuoteToCash.BillingRules.Tests.Domain.Models;

/// <summary>The invariants of billing, checked against generated contracts, time and event orders.</summary>
public sealed class BillingProperties
{
    private static readonly string[] Currencies = ["GBP", "USD", "JPY", "KWD"];

    private static Gen<decimal> Cents(int min, int max) => Gen.Choose(min, max).Select(c => c / 100m);

    [Property(MaxTest = 300)]
    public Property Allocated_parts_add_up_exactly_and_each_is_within_one_unit_of_its_share() =>
        Prop.ForAll(
            (from currency in Gen.Elements(Currencies)
             from units in Gen.Choose(-1_000_000, 5_000_000)
             from weights in Gen.Choose(0, 10_000).ListOf().Where(w => w.Count > 0 && w.Sum() > 0)
             select (currency, total: units * Money.SmallestUnit(currency), weights: weights.Select(w => (decimal)w).ToList())).ToArbitrary(),
            x =>
            {
                var parts = Money.Allocate(x.total, x.weights, x.currency);
                var sum = x.weights.Sum();
                return parts.Sum() == x.total
                       && parts.Select((p, i) => Math.Abs(p - x.total * x.weights[i] / sum)).All(d => d < Money.SmallestUnit(x.currency));
            });

    [Property(MaxTest = 200)]
    public Property A_fixed_fees_instalment_lines_add_up_to_the_instalment_and_the_instalments_to_the_fee() =>
        Prop.ForAll(
            (from currency in Gen.Elements(Currencies)
             from value in Gen.Choose(1, 2_000_000)
             from percents in Gen.Choose(1, 100).ListOf().Where(p => p.Count is > 0 and < 6)
             from lines in (from q in Gen.Choose(1, 40)
                            from price in Gen.Choose(1, 500_000)
                            from discount in Gen.Elements(0m, 5m, 12.5m, 33m)
                            select new DealLine { Description = "Line", Quantity = q, UnitPrice = price / 100m, DiscountPercent = discount }).ListOf().Where(l => l.Count < 5)
             select (currency, value: value * Money.SmallestUnit(currency), percents, lines)).ToArbitrary(),
            x =>
            {
                var total = x.percents.Sum();
                var parts = x.percents.Select((p, i) => Part($"p{i}", percent: p * 100m / total)).ToArray();
                var ledger = Start(new BillingTerms { Model = BillingModel.FixedFee, Instalments = parts }, x.value, x.lines, x.currency);
                var due = BillingContract.Activate(ledger, Signed).Due;
                return due.Sum(d => d.Total) == x.value
                       && due.All(d => d.Total == ledger.Instalments.Single(i => $"fee:{i.Id}" == d.Key).PlannedAmount)
                       && due.SelectMany(d => d.Lines).All(l => l.Amount == Money.LineAmount(l.Quantity, l.UnitPrice, 0m, x.currency));
            });

    [Property(MaxTest = 200)]
    public Property Milestone_invoices_add_up_to_the_contract_value_whatever_the_order_and_the_extras() =>
        Prop.ForAll(
            (from currency in Gen.Elements(Currencies)
             from value in Gen.Choose(1, 5_000_000)
             from weights in Gen.Choose(1, 50).ListOf().Where(w => w.Count is > 0 and < 7)
             from amountsInstead in Gen.Elements(true, false)
             from extras in Gen.Choose(0, 3_000_000).ListOf().Where(e => e.Count < 3)
             from order in Gen.Shuffle(Enumerable.Range(0, weights.Count + extras.Count))
             select (currency, value: value * Money.SmallestUnit(currency), weights, amountsInstead, extras, order)).ToArbitrary(),
            x =>
            {
                var sum = x.weights.Sum();
                var plan = x.weights.Select((w, i) => new MilestoneTerm
                {
                    Id = $"m{i}",
                    Name = $"Milestone {i}",
                    Percent = x.amountsInstead ? null : Math.Round(w * 100m / sum, 4),
                    Amount = x.amountsInstead ? Money.Round(x.value * w / sum, x.currency) : null,
                }).ToList();
                var ledger = Start(new BillingTerms { Model = BillingModel.Milestones, Milestones = plan }, x.value, currency: x.currency);
                var billed = BillingContract.Activate(ledger, Signed).Due.Sum(d => d.Total);
                foreach (var index in x.order)
                {
                    var outcome = index < plan.Count
                        ? BillingContract.ReachMilestone(ledger, plan[index].Id, plan[index].Name, null, null, Signed)
                        : BillingContract.ReachMilestone(ledger, $"extra{index}", "Extra", null, x.extras[index - plan.Count] * Money.SmallestUnit(x.currency), Signed);
                    billed += outcome.Due.Sum(d => d.Total);
                }
                return billed == x.value && ledger.Billed == x.value && BillingContract.IsFullyBilled(ledger);
            });

    [Property(MaxTest = 300)]
    public Property A_prorated_amount_never_exceeds_the_full_period() =>
        Prop.ForAll(
            (from currency in Gen.Elements(Currencies)
             from amount in Gen.Choose(0, 10_000_000)
             from startDay in Gen.Choose(0, 3_000)
             from length in Gen.Choose(1, 400)
             from offset in Gen.Choose(-40, 440)
             select (currency, amount: amount / 100m, start: new DateOnly(2024, 1, 1).AddDays(startDay), length, offset)).ToArbitrary(),
            x =>
            {
                var end = x.start.AddDays(x.length);
                var prorated = Proration.Prorate(x.amount, x.start.AddDays(x.offset), x.start, end, x.currency);
                return prorated >= 0m && prorated <= Money.Round(x.amount, x.currency);
            });

    [Property(MaxTest = 150)]
    public Property A_retainers_deposits_always_equal_its_drawdowns_plus_its_balance() =>
        Prop.ForAll(
            (from deposit in Gen.Choose(1, 40).Select(d => d * 500m)
             from thresholdShare in Gen.Choose(0, 90)
             from replenishment in Gen.Choose(0, 30).Select(r => r == 0 ? (decimal?)null : r * 500m)
             from rate in Gen.Elements(95m, 125m, 142.5m, 180m)
             from entries in (from day in Gen.Choose(0, 120)
                              from quarters in Gen.Choose(1, 48)
                              from billable in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
                              select (day, hours: quarters / 4m, billable)).ListOf()
             from period in Gen.Elements(BillingPeriod.Weekly, BillingPeriod.Biweekly, BillingPeriod.Monthly)
             select (deposit, threshold: deposit * thresholdShare / 100m, replenishment, rate, entries, period)).ToArbitrary(),
            x =>
            {
                var ledger = Start(new BillingTerms
                {
                    Model = BillingModel.Retainer,
                    Period = x.period,
                    RateCard = [Rate("consultant", x.rate)],
                    Retainer = new RetainerTerms { Deposit = x.deposit, Threshold = x.threshold, Replenishment = x.replenishment },
                });
                var invoiced = BillingContract.Activate(ledger, Signed).Due.Sum(d => d.Total);
                var i = 0;
                foreach (var entry in x.entries.OrderBy(e => e.day))
                {
                    var date = Signed.AddDays(entry.day);
                    invoiced += BillingContract.Advance(ledger, date).Due.Sum(d => d.Total);
                    BillingContract.LogTime(ledger, Time($"e{i++}", "Ben Ito", "consultant", date, entry.hours, entry.billable), date);
                }
                invoiced += BillingContract.Advance(ledger, Signed.AddDays(200)).Due.Sum(d => d.Total);
                var account = ledger.Retainer!;
                var running = 0m;
                var historyConsistent = account.Entries.All(e =>
                {
                    running += e.Kind == RetainerEntryKind.Drawdown ? -e.Amount : e.Amount;
                    return running == e.BalanceAfter && e.BalanceAfter >= 0m;
                });
                return account.Deposited == account.DrawnDown + account.Balance
                       && historyConsistent
                       && account.Balance >= 0m
                       && invoiced == ledger.Billed;
            });

    /// <summary>A step of a deal's life; delivered once, or again (a re-delivered message) right after or later.</summary>
    private sealed record Step(string Kind, int Day, int Number, decimal Value);

    [Property(MaxTest = 150)]
    public Property Nothing_is_billed_twice_when_messages_are_redelivered() =>
        Prop.ForAll(
            (from model in Gen.Elements(BillingModel.FixedFee, BillingModel.Milestones, BillingModel.TimeAndMaterials, BillingModel.Retainer, BillingModel.Subscription)
             from steps in (from kind in Gen.Elements("time", "time", "milestone", "advance", "seats", "complete")
                            from day in Gen.Choose(0, 100)
                            from number in Gen.Choose(0, 6)
                            from value in Gen.Choose(1, 30)
                            select new Step(kind, day, number, value)).ListOf()
             from repeats in Gen.Choose(0, 2).ListOf()
             select (model, steps: steps.OrderBy(s => s.Day).ToList(), repeats)).ToArbitrary(),
            x =>
            {
                var once = Replay(x.model, x.steps, _ => 0);
                var again = Replay(x.model, x.steps, i => i < x.repeats.Count ? x.repeats[i] : 1);
                return once.Select(d => (d.Key, d.Total)).SequenceEqual(again.Select(d => (d.Key, d.Total)))
                       && again.Select(d => d.Key).Distinct().Count() == again.Count;
            });

    private static List<DueInvoice> Replay(BillingModel model, List<Step> steps, Func<int, int> redeliveries)
    {
        var terms = new BillingTerms
        {
            Model = model,
            Period = BillingPeriod.Weekly,
            NotToExceed = model == BillingModel.TimeAndMaterials ? 6_000m : null,
            Instalments = [Part("sign", 40m), Part("m2", 30m, trigger: InstalmentTrigger.OnCompletion), Part("dated", 30m, trigger: InstalmentTrigger.OnDate, date: Signed.AddDays(30))],
            Milestones = [new() { Id = "m1", Name = "One", Percent = 30m }, new() { Id = "m2", Name = "Two", Percent = 30m }, new() { Id = "m3", Name = "Three", Amount = 4_000m }],
            RateCard = [Rate("consultant", 120m)],
            Retainer = new RetainerTerms { Deposit = 3_000m, Threshold = 1_000m },
            Subscription = new SubscriptionTerms { Quantity = 5m, UnitPrice = 49.99m },
        };
        var ledger = Start(terms, 10_000m);
        var due = new List<DueInvoice>();
        void Run(Func<ContractOutcome> call, int index)
        {
            for (var n = 0; n <= redeliveries(index); n++)
                due.AddRange(call().Due);
        }
        Run(() => BillingContract.Activate(ledger, Signed), 0);
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var day = Signed.AddDays(step.Day);
            switch (step.Kind)
            {
                case "time":
                    Run(() => BillingContract.LogTime(ledger, Time($"t{i}", "Ben Ito", "consultant", day.AddDays(-step.Number), step.Value / 2m), day), i + 1);
                    break;
                case "milestone":
                    Run(() => BillingContract.ReachMilestone(ledger, step.Number % 4 == 3 ? "completion" : $"m{step.Number % 4}", "Milestone", null, step.Value * 100m, day), i + 1);
                    break;
                case "advance":
                    Run(() => BillingContract.Advance(ledger, day), i + 1);
                    break;
                case "seats":
                    Run(() => BillingContract.Change(ledger, terms with { Subscription = terms.Subscription! with { Quantity = step.Value } }, 10_000m, day), i + 1);
                    break;
                default:
                    Run(() => BillingContract.Complete(ledger, day), i + 1);
                    break;
            }
        }
        Run(() => BillingContract.Advance(ledger, Signed.AddDays(120)), steps.Count + 1);
        return due;
    }
}
