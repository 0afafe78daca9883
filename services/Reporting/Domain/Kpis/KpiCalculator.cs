using QuoteToCash.Reporting.Domain.ReadModels;
using static QuoteToCash.Reporting.Domain.Kpis.Money;

namespace QuoteToCash.Reporting.Domain.Kpis;

/// <summary>Every KPI of docs/kpis.md as a pure function of a tenant's read models and a question (range, filters).</summary>
public sealed class KpiCalculator(KpiData data, KpiQuery query)
{
    public const string CeiDefinition =
        "CEI = (beginning receivables + credit sales of the whole range − ending receivables) ÷ (beginning receivables + credit sales of the whole range − ending current receivables) × 100; sales are the range's total, not a monthly average; current = not yet past its due date.";

    private readonly List<DealFact> _deals = data.Deals.Where(query.Matches).ToList();
    private readonly List<InvoiceFact> _invoices = data.Invoices.Where(i => query.Matches(data.DealsByFlow.GetValueOrDefault(i.FlowId))).ToList();
    private readonly Ledger _ledger = data.LedgerFor(query);

    private KpiScopeView Scope => new(query.From, query.To, query.BusinessUnit, query.Region, query.AsOf);

    private DealFact? DealOf(InvoiceFact invoice) => data.DealsByFlow.GetValueOrDefault(invoice.FlowId);

    // ---------------------------------------------------------------------------------------------------------- process

    private ProcessKpisView? _process;
    private CashKpisView? _cash;

    public ProcessKpisView Process() => _process ??= new(Scope, CycleTime(query.From, query.To), BillingErrorRate(), SyncExceptions(), DuplicateCustomers(), ApprovalTurnaround());

    /// <summary>Per deal: won → its first invoice sent, for deals whose first invoice was sent in the range.</summary>
    public DurationPercentilesView CycleTime(DateOnly from, DateOnly to)
    {
        var durations = new List<decimal>();
        foreach (var deal in _deals)
        {
            if (deal.WonAt is { } won && data.FirstSent.TryGetValue(deal.FlowId, out var sent) && Day(sent) >= from && Day(sent) <= to)
                durations.Add(DaysBetween(won, sent));
        }
        return Distribution(durations);
    }

    /// <summary>Per deal: won day → the day its first invoice was paid in full, for deals whose first invoice was paid in the range.</summary>
    public DurationPercentilesView WonToCash(DateOnly from, DateOnly to)
    {
        var durations = new List<decimal>();
        foreach (var deal in _deals)
        {
            if (deal.WonAt is { } won && data.FirstInvoicePaid.TryGetValue(deal.FlowId, out var paid) && paid >= from && paid <= to)
                durations.Add(paid.DayNumber - Day(won).DayNumber);
        }
        return Distribution(durations);
    }

    private static DurationPercentilesView Distribution(List<decimal> values)
    {
        values.Sort();
        return new(values.Count, Percentile(values, 50) is { } p50 ? Round2(p50) : null, Percentile(values, 90) is { } p90 ? Round2(p90) : null,
            values.Count == 0 ? null : Round2(values.Average()));
    }

    public BillingErrorRateView BillingErrorRate()
    {
        var posted = _invoices.Where(i => IsReceivable(i) && query.Contains(i.InvoiceDate!.Value)).ToList();
        var credited = posted.Count(i => i.Credits.Any(c => !c.WriteOff));
        var memos = _invoices.SelectMany(i => i.Credits).Where(c => !c.WriteOff && query.Contains(Day(c.At))).ToList();
        return new(posted.Count, credited, memos.Count, Percent(credited, posted.Count), memos.Sum(c => c.Amount));
    }

    public SyncExceptionsView SyncExceptions()
    {
        var exceptions = data.Exceptions.Where(e => query.BusinessUnit is null && query.Region is null
            || e.FlowId is { } f && query.Matches(data.DealsByFlow.GetValueOrDefault(f))).Where(e => e.OpenedAt != default).ToList();
        bool OpenAt(ExceptionFact e, DateOnly day) => Day(e.OpenedAt) <= day && (e.ResolvedAt is not { } r || Day(r) > day);

        var weeks = new List<WeeklyExceptionsView>();
        for (var start = query.From.AddDays(-(((int)query.From.DayOfWeek + 6) % 7)); start <= query.To; start = start.AddDays(7))
        {
            var end = start.AddDays(6);
            weeks.Add(new(start,
                exceptions.Count(e => Day(e.OpenedAt) >= start && Day(e.OpenedAt) <= end),
                exceptions.Count(e => e.ResolvedAt is { } r && Day(r) >= start && Day(r) <= end),
                exceptions.Count(e => OpenAt(e, end))));
        }
        var open = exceptions.Where(e => OpenAt(e, query.To)).Select(e => query.To.DayNumber - Day(e.OpenedAt).DayNumber).ToList();
        var aging = new List<CountBucketView>
        {
            new("0-2", open.Count(a => a <= 2)), new("3-7", open.Count(a => a is >= 3 and <= 7)),
            new("8-30", open.Count(a => a is >= 8 and <= 30)), new("31+", open.Count(a => a > 30)),
        };
        var resolved = exceptions.Where(e => e.ResolvedAt is { } r && query.Contains(Day(r))).Select(e => DaysBetween(e.OpenedAt, e.ResolvedAt!.Value)).ToList();
        var openAtEnd = exceptions.Where(e => OpenAt(e, query.To)).ToList();
        var byKind = openAtEnd.GroupBy(e => e.Kind, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CountBucketView(g.Key, g.Count())).ToList();
        var pastSla = openAtEnd.Count(e => e.SlaDue is { } due && Day(due) < query.To);
        return new(weeks, open.Count, aging, open.Count == 0 ? null : Round2((decimal)open.Average()), Distribution(resolved), byKind, pastSla);
    }

    public DuplicateCustomersView DuplicateCustomers()
    {
        var created = data.Customers.Where(c => c.FirstSeenAt != default && query.Contains(Day(c.FirstSeenAt))
            && (query.BusinessUnit is null && query.Region is null || c.FirstFlowId is { } f && query.Matches(data.DealsByFlow.GetValueOrDefault(f)))).ToList();
        var flagged = created.Count(c => c.DuplicateFlaggedAt is not null);
        var merged = data.Customers.Count(c => c.MergedAt is { } at && query.Contains(Day(at))
            && (query.BusinessUnit is null && query.Region is null || c.FirstFlowId is { } f && query.Matches(data.DealsByFlow.GetValueOrDefault(f))));
        return new(created.Count, flagged, merged, Percent(flagged, created.Count));
    }

    public ApprovalTurnaroundView ApprovalTurnaround()
    {
        var requested = _invoices.Where(i => i.ApprovalRequestedAt is { } r && query.Contains(Day(r))).ToList();
        var decided = requested.Count(i => i.ApprovalDecidedAt is { } d && Day(d) <= query.To);
        var decidedInRange = _invoices.Where(i => i.ApprovalRequestedAt is not null && i.ApprovalDecidedAt is { } d && query.Contains(Day(d))).ToList();
        var turnaround = decidedInRange.Select(i => DaysBetween(i.ApprovalRequestedAt!.Value, i.ApprovalDecidedAt!.Value)).ToList();
        return new(requested.Count, decided, requested.Count - decided, Distribution(turnaround),
            decidedInRange.Count(i => i.ApprovalDecision == "Approved"), decidedInRange.Count(i => i.ApprovalDecision == "Rejected"));
    }

    // ------------------------------------------------------------------------------------------------------------- cash

    public CashKpisView Cash() => _cash ??= new(Scope, WonToCash(query.From, query.To), Dso(), CollectedWithinTerms(), Aging(query.To), DaysToPayBySegment(), Cei());

    public decimal ReceivablesAt(DateOnly day) => _ledger.ReceivablesAt(day);

    public DsoView Dso()
    {
        var receivables = ReceivablesAt(query.To);
        var sales = _ledger.SalesIn(query.From, query.To);
        decimal? simple = sales > 0m ? Math.Round(receivables / sales * query.Days, 1, MidpointRounding.AwayFromZero) : null;
        return new(receivables, sales, query.Days, new("simple", simple), new("countback", Countback(query.To)));
    }

    /// <summary>
    /// Countback DSO at the end of <paramref name="end"/>: take the month containing it (up to that day), then each month before,
    /// subtracting each one's credit sales from the receivables and counting its calendar days, until the receivables are used up;
    /// the last month counts pro rata (remaining receivables ÷ that month's sales × its days). At most 24 months back.
    /// </summary>
    public decimal? Countback(DateOnly end)
    {
        var remaining = ReceivablesAt(end);
        if (remaining == 0m)
            return 0m;
        var days = 0m;
        var segmentEnd = end;
        for (var month = 0; month < 24 && remaining > 0m; month++)
        {
            var segmentStart = MonthStart(segmentEnd);
            var segmentDays = segmentEnd.DayNumber - segmentStart.DayNumber + 1;
            var sales = _ledger.SalesIn(segmentStart, segmentEnd);
            if (sales > 0m && remaining < sales)
            {
                days += remaining / sales * segmentDays;
                remaining = 0m;
                break;
            }
            days += segmentDays;
            remaining -= Math.Max(sales, 0m);
            segmentEnd = segmentStart.AddDays(-1);
        }
        return remaining > 0m && days == 24 * 31 ? null : Math.Round(days, 1, MidpointRounding.AwayFromZero);
    }

    public CollectedWithinTermsView CollectedWithinTerms()
    {
        var paid = _invoices.Select(i => (Invoice: i, Paid: data.PaidOn.TryGetValue(i.InvoiceId, out var p) ? p : (DateOnly?)null)).Where(x => x.Paid is { } p && query.Contains(p)).ToList();
        var within = paid.Count(x => x.Invoice.DueDate is not { } due || x.Paid <= due);
        var collected = _ledger.CashIn(query.From, query.To);
        var collectedWithin = 0m;
        foreach (var invoice in _invoices)
            if (invoice.DueDate is { } due && due >= query.From)
                collectedWithin += CashIn(invoice, query.From, due < query.To ? due : query.To);
        return new(paid.Count, within, Percent(within, paid.Count), collected, collectedWithin, Percent(collectedWithin, collected));
    }

    public static readonly IReadOnlyList<string> AgingBuckets = ["Current", "0-30", "31-60", "61-90", "90+"];

    private static string BucketOf(int daysPastDue) => daysPastDue switch
    {
        < 0 => "Current",
        <= 30 => "0-30",
        <= 60 => "31-60",
        <= 90 => "61-90",
        _ => "90+",
    };

    private static int DaysPastDue(InvoiceFact invoice, DateOnly day) => day.DayNumber - (invoice.DueDate ?? invoice.InvoiceDate!.Value).DayNumber;

    public AgingSnapshotView Aging(DateOnly day)
    {
        var amounts = AgingBuckets.ToDictionary(b => b, _ => 0m);
        var counts = AgingBuckets.ToDictionary(b => b, _ => 0);
        foreach (var invoice in _invoices)
        {
            var balance = BalanceAt(invoice, day);
            if (balance <= 0m)
                continue;
            var bucket = BucketOf(DaysPastDue(invoice, day));
            amounts[bucket] += balance;
            counts[bucket]++;
        }
        return new(day, AgingBuckets.Select(b => new AgingBucketView(b, amounts[b], counts[b])).ToList(), amounts.Values.Sum(), counts.Values.Sum());
    }

    /// <summary>What a deal without a segment is reported under.</summary>
    public const string Unsegmented = "Unsegmented";

    /// <summary>The customer segment of a deal as the CRM gives it (<c>DealWon.Segment</c>, e.g. Enterprise), or <see cref="Unsegmented"/>.</summary>
    public static string SegmentOf(DealFact? deal) => string.IsNullOrWhiteSpace(deal?.Segment) ? Unsegmented : deal.Segment;

    public IReadOnlyList<SegmentDaysToPayView> DaysToPayBySegment() =>
        _invoices.Select(i => (Invoice: i, Paid: data.PaidOn.TryGetValue(i.InvoiceId, out var p) ? p : (DateOnly?)null)).Where(x => x.Paid is { } p && query.Contains(p))
            .GroupBy(x => SegmentOf(DealOf(x.Invoice)))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SegmentDaysToPayView(g.Key, g.Count(),
                Round2((decimal)g.Average(x => x.Paid!.Value.DayNumber - x.Invoice.InvoiceDate!.Value.DayNumber)),
                Round2((decimal)g.Average(x => Math.Max(0, x.Paid!.Value.DayNumber - (x.Invoice.DueDate ?? x.Invoice.InvoiceDate!.Value).DayNumber)))))
            .ToList();

    public CeiView Cei()
    {
        var beginning = ReceivablesAt(query.From.AddDays(-1));
        var sales = _ledger.SalesIn(query.From, query.To);
        var ending = ReceivablesAt(query.To);
        var endingCurrent = _invoices.Where(i => IsReceivable(i) && DaysPastDue(i, query.To) < 0).Sum(i => BalanceAt(i, query.To));
        return new(beginning, sales, ending, endingCurrent, Percent(beginning + sales - ending, beginning + sales - endingCurrent), CeiDefinition);
    }

    // ---------------------------------------------------------------------------------------------------------- revenue

    public RevenueKpisView Revenue() => new(Scope, BookingsVsBillings(), DeferredBalances(), ForecastVsActual());

    /// <summary>Deals won in the range at their won amount, plus changes of won deals' amounts made in the range.</summary>
    public decimal BookingsIn(DateOnly from, DateOnly to) =>
        _deals.Where(d => d.WonAt is { } w && Day(w) >= from && Day(w) <= to).Sum(d => d.WonAmount) + ScopeChangesIn(from, to);

    private decimal ScopeChangesIn(DateOnly from, DateOnly to) =>
        _deals.Where(d => d.WonAt is not null).SelectMany(d => d.Changes).Where(c => Day(c.At) >= from && Day(c.At) <= to).Sum(c => c.AmountAfter - c.AmountBefore);

    public BookingsBillingsView BookingsVsBillings()
    {
        var bookings = BookingsIn(query.From, query.To);
        var billings = _ledger.SalesIn(query.From, query.To);
        return new(bookings, billings, bookings - billings, Percent(billings, bookings),
            _deals.Count(d => d.WonAt is { } w && query.Contains(Day(w))),
            _invoices.Count(i => IsReceivable(i) && query.Contains(i.InvoiceDate!.Value)));
    }

    public DeferredBalancesView DeferredBalances()
    {
        var day = query.To;
        var rows = new List<DeferredDealView>();
        foreach (var deal in _deals)
        {
            if (!data.InvoicesByFlow.TryGetValue(deal.FlowId, out var all))
                continue;
            var invoices = all.Where(i => IsReceivable(i) && i.InvoiceDate <= day && !VoidedBy(i, day)).ToList();
            if (invoices.Count == 0)
                continue;
            var billed = invoices.Sum(i => i.Total);
            if (deal.BillingModel == "Retainer")
            {
                var earned = deal.TimeEntries.Where(e => e.Billable && e.Date <= day)
                    .Sum(e => Round2(e.Hours * (e.Rate ?? (e.Role is not null && deal.RoleRates.TryGetValue(e.Role.ToLowerInvariant(), out var r) ? r : 0m))));
                rows.Add(new(deal.FlowId, deal.DealName, "retainer", billed, Math.Min(earned, billed), Math.Max(billed - earned, 0m)));
            }
            else if (deal.BillingModel == "Subscription")
            {
                var deferred = 0m;
                foreach (var invoice in invoices)
                {
                    var start = invoice.InvoiceDate!.Value;
                    var end = deal.SubscriptionInterval == "Annually" ? start.AddYears(1) : start.AddMonths(1);
                    var unelapsed = end.DayNumber - (day.DayNumber + 1);
                    if (unelapsed > 0)
                        deferred += Round2(invoice.Total * unelapsed / (end.DayNumber - start.DayNumber));
                }
                rows.Add(new(deal.FlowId, deal.DealName, "subscription", billed, billed - deferred, deferred));
            }
        }
        var retainers = rows.Where(r => r.Kind == "retainer").Sum(r => r.Deferred);
        var subscriptions = rows.Where(r => r.Kind == "subscription").Sum(r => r.Deferred);
        return new(day, retainers, subscriptions, retainers + subscriptions, rows.Where(r => r.Deferred > 0m).OrderByDescending(r => r.Deferred).ToList());
    }

    private IEnumerable<DateOnly> Months()
    {
        for (var month = MonthStart(query.From); month <= query.To; month = month.AddMonths(1))
            yield return month;
    }

    public IReadOnlyList<ForecastMonthView> ForecastVsActual() => Months().Select(month =>
    {
        var end = MonthEnd(month);
        var forecast = _ledger.FallingDueIn(month, end);
        var actual = _ledger.CashIn(month, end);
        return new ForecastMonthView(month, forecast, actual, actual - forecast);
    }).ToList();

    // ------------------------------------------------------------------------------------------------------------ trends

    public AgingTrendView AgingTrend()
    {
        var days = Months().Select(MonthEnd).Where(d => d < query.To).Append(query.To).ToList();
        return new(Scope, days.Select(Aging).ToList());
    }

    public DsoTrendView DsoTrend() => new(Scope, Months().Select(month =>
    {
        var end = MonthEnd(month) < query.To ? MonthEnd(month) : query.To;
        var receivables = ReceivablesAt(end);
        var sales = _ledger.SalesIn(month, end);
        decimal? simple = sales > 0m ? Math.Round(receivables / sales * (end.DayNumber - month.DayNumber + 1), 1, MidpointRounding.AwayFromZero) : null;
        return new DsoMonthView(month, receivables, sales, simple, Countback(end));
    }).ToList());

    public CycleTimeTrendView CycleTimeTrend() => new(Scope, Months().Select(month =>
    {
        var end = MonthEnd(month) < query.To ? MonthEnd(month) : query.To;
        return new CycleTimeMonthView(month, CycleTime(month, end), WonToCash(month, end));
    }).ToList());

    /// <summary>The bridge; each month's variances are split by the rules in docs/kpis.md, timing being what the other causes leave.</summary>
    public BridgeView Bridge()
    {
        var months = Months().Select(month =>
        {
            var end = MonthEnd(month);
            var bookings = BookingsIn(month, end);
            var scope = ScopeChangesIn(month, end);
            var voided = _ledger.VoidedIn(month, end);
            var credits = _ledger.CreditedIn(month, end);
            var writeOffs = _ledger.WrittenOffIn(month, end);
            var billed = _ledger.SalesIn(month, end);
            var collected = _ledger.CashIn(month, end);
            var toBilled = billed - bookings;
            var toCollected = collected - billed;
            return new BridgeMonthView(month, bookings, billed, collected,
                new VarianceView(toBilled, toBilled + scope + voided + credits, -scope, -voided, -credits),
                new VarianceView(toCollected, toCollected + writeOffs, 0m, -writeOffs, 0m));
        }).ToList();
        VarianceView Sum(Func<BridgeMonthView, VarianceView> pick) => new(months.Sum(m => pick(m).Total), months.Sum(m => pick(m).Timing),
            months.Sum(m => pick(m).ScopeChange), months.Sum(m => pick(m).Churn), months.Sum(m => pick(m).Pricing));
        var totals = new BridgeMonthView(MonthStart(query.From), months.Sum(m => m.Bookings), months.Sum(m => m.Billed), months.Sum(m => m.Collected),
            Sum(m => m.BookingsToBilled), Sum(m => m.BilledToCollected));
        return new(Scope, months, totals);
    }

    // ------------------------------------------------------------------------------------------------------ profitability

    public ProfitabilityView Profitability(CostRates rates)
    {
        var rows = new List<DealProfitabilityView>();
        foreach (var deal in _deals)
        {
            var entries = deal.TimeEntries.Where(e => query.Contains(e.Date)).ToList();
            var invoices = data.InvoicesByFlow.GetValueOrDefault(deal.FlowId) ?? [];
            var revenue = invoices.Where(i => IsReceivable(i) && query.Contains(i.InvoiceDate!.Value) && !VoidedBy(i, query.To)).Sum(i => i.Total)
                - invoices.Sum(i => CreditsIn(i, query.From, query.To, writeOffs: false));
            if (entries.Count == 0 && revenue == 0m)
                continue;
            var cost = 0m;
            var uncosted = 0m;
            foreach (var entry in entries)
            {
                if (rates.RateFor(entry.Person, entry.Role) is { } rate)
                    cost += Round2(entry.Hours * rate);
                else
                    uncosted += entry.Hours;
            }
            rows.Add(Row(deal.FlowId, deal.DealName, deal.CustomerName, deal.BusinessUnit, deal.Region, deal.BillingModel,
                entries.Where(e => e.Billable).Sum(e => e.Hours), entries.Where(e => !e.Billable).Sum(e => e.Hours), revenue, cost, uncosted));
        }
        rows = rows.OrderByDescending(r => r.Margin).ThenBy(r => r.DealName, StringComparer.Ordinal).ToList();
        var totals = Row(null, null, null, null, null, null, rows.Sum(r => r.BillableHours), rows.Sum(r => r.NonBillableHours), rows.Sum(r => r.Revenue),
            rows.Sum(r => r.Cost), rows.Sum(r => r.UncostedHours));
        return new(Scope, rows, totals);
    }

    private static DealProfitabilityView Row(Guid? flowId, string? name, string? customer, string? unit, string? region, string? model,
        decimal billable, decimal nonBillable, decimal revenue, decimal cost, decimal uncosted)
    {
        var hours = billable + nonBillable;
        return new(flowId, name, customer, unit, region, model, billable, nonBillable, revenue, cost, hours == 0m ? null : Round2(revenue / hours),
            revenue - cost, Percent(revenue - cost, revenue), uncosted);
    }

    // --------------------------------------------------------------------------------------------------- account standing

    public AccountStandingFeedView AccountStanding()
    {
        var customers = data.Customers.ToDictionary(c => c.CustomerId);
        var rows = new List<AccountStandingView>();
        foreach (var group in _invoices.Where(IsReceivable).GroupBy(i => i.CustomerId ?? DealOf(i)?.CustomerId).Where(g => g.Key is not null))
        {
            var open = 0m;
            var overdue = 0m;
            int? oldest = null;
            DateOnly? lastPayment = null;
            foreach (var invoice in group)
            {
                var balance = BalanceAt(invoice, query.To);
                open += balance;
                if (balance > 0m && DaysPastDue(invoice, query.To) is var late and > 0)
                {
                    overdue += balance;
                    oldest = Math.Max(oldest ?? 0, late);
                }
                foreach (var payment in invoice.Payments.Where(p => Day(p.At) <= query.To))
                    lastPayment = lastPayment is { } l && l >= Day(payment.At) ? l : Day(payment.At);
            }
            var fact = customers.GetValueOrDefault(group.Key!.Value);
            var standing = oldest > 30 ? "Past due 30+" : overdue > 0m ? "Past due" : "Good";
            rows.Add(new(group.Key.Value, fact?.Name ?? DealOf(group.First())?.CustomerName, SegmentOf(DealOf(group.First())), standing, open, overdue, oldest,
                lastPayment, fact?.StandingChangedAt));
        }
        return new(Scope, rows.OrderByDescending(r => r.StandingChangedAt ?? DateTimeOffset.MinValue).ThenByDescending(r => r.OverdueBalance)
            .ThenBy(r => r.CustomerName, StringComparer.Ordinal).ToList());
    }
}
