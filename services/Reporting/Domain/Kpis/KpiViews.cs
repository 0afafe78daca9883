namespace QuoteToCash.Reporting.Domain.Kpis;

// What the KPI calculations produce, which is also the shape of every KPI endpoint under /api/reports/{tenant}/... (docs/kpis.md lists the endpoints and defines each figure).
// Money is decimal in the tenant's invoice currency; calendar dates are DateOnly; moments are DateTimeOffset (UTC).
// A figure that cannot be computed for the range (nothing to measure) is null, never zero.

/// <summary>The range and filters a KPI answer was computed for, echoed back on every answer.</summary>
/// <param name="From">First day of the range (inclusive).</param>
/// <param name="To">Last day of the range (inclusive).</param>
/// <param name="AsOf">The moment the answer was computed (the server's clock).</param>
public sealed record KpiScopeView(DateOnly From, DateOnly To, string? BusinessUnit, string? Region, DateTimeOffset AsOf);

/// <summary>A distribution of durations in days: how many were measured and their 50th and 90th percentiles.</summary>
/// <param name="Count">How many durations were measured.</param>
/// <param name="P50Days">Median, in days (two decimals); null when <paramref name="Count"/> is 0.</param>
/// <param name="P90Days">90th percentile, in days (two decimals); null when <paramref name="Count"/> is 0.</param>
/// <param name="MeanDays">Arithmetic mean, in days (two decimals); null when <paramref name="Count"/> is 0.</param>
public sealed record DurationPercentilesView(int Count, decimal? P50Days, decimal? P90Days, decimal? MeanDays);

// ---------------------------------------------------------------------------------------------------------------------
// GET /api/reports/{tenant}/kpis/process

/// <summary>REP-1 process KPIs for a range.</summary>
public sealed record ProcessKpisView(
    KpiScopeView Scope,
    DurationPercentilesView InvoiceCycleTime,
    BillingErrorRateView BillingErrorRate,
    SyncExceptionsView SyncExceptions,
    DuplicateCustomersView DuplicateCustomers,
    ApprovalTurnaroundView ApprovalTurnaround);

/// <summary>Credit memos (not write-offs) posted against invoices of the range, as a share of those invoices.</summary>
/// <param name="Invoices">Invoices posted in the range.</param>
/// <param name="CreditedInvoices">Of those, how many received at least one credit memo (any date).</param>
/// <param name="CreditMemos">Credit memos posted in the range.</param>
/// <param name="RatePercent">CreditedInvoices ÷ Invoices × 100, two decimals; null without invoices.</param>
/// <param name="CreditedAmount">Sum of the credit memos posted in the range.</param>
public sealed record BillingErrorRateView(int Invoices, int CreditedInvoices, int CreditMemos, decimal? RatePercent, decimal CreditedAmount);

/// <summary>
/// Sync exceptions of accounting-sync's queue: opened and closed per ISO week, and the age of those still open at the end
/// of the range.
/// </summary>
/// <param name="OpenByKind">Those open at the end, per kind (ManualEditConflict, MappingMissing, …), most first.</param>
/// <param name="OpenPastSla">Of those open at the end, how many were past their SLA then.</param>
public sealed record SyncExceptionsView(
    IReadOnlyList<WeeklyExceptionsView> PerWeek,
    int OpenAtEnd,
    IReadOnlyList<CountBucketView> OpenAging,
    decimal? MeanOpenAgeDays,
    DurationPercentilesView TimeToResolve,
    IReadOnlyList<CountBucketView> OpenByKind,
    int OpenPastSla);

/// <summary>One ISO week (Monday start) of sync exceptions; <paramref name="Resolved"/> counts those resolved or ignored in it.</summary>
public sealed record WeeklyExceptionsView(DateOnly WeekStart, int Opened, int Resolved, int OpenAtWeekEnd);

/// <summary>A labelled count (e.g. exceptions open 0–1 days).</summary>
public sealed record CountBucketView(string Bucket, int Count);

/// <summary>Customers created in the range and how many of them were flagged as possible duplicates or merged.</summary>
/// <param name="CustomersCreated">Golden customers first seen in the range.</param>
/// <param name="FlaggedAsDuplicate">Of those, flagged by master data as a possible duplicate.</param>
/// <param name="Merged">Merges of one customer into another made in the range (master data's <c>CustomersMerged</c>).</param>
/// <param name="RatePercent">FlaggedAsDuplicate ÷ CustomersCreated × 100, two decimals.</param>
public sealed record DuplicateCustomersView(int CustomersCreated, int FlaggedAsDuplicate, int Merged, decimal? RatePercent);

/// <summary>Invoices that needed approval: how many, how many decided, and how long a decision took.</summary>
/// <param name="Requested">Invoices whose approval wait began in the range.</param>
/// <param name="Decided">Of those, decided (approved, rejected, or seen posted) by the end of the range.</param>
/// <param name="PendingAtEnd">Requested − Decided.</param>
/// <param name="Turnaround">Decided in the range: decision − request, in days.</param>
/// <param name="Approved">Decisions made in the range that approved the invoice.</param>
/// <param name="Rejected">Decisions made in the range that rejected it.</param>
public sealed record ApprovalTurnaroundView(int Requested, int Decided, int PendingAtEnd, DurationPercentilesView Turnaround, int Approved, int Rejected);

// ---------------------------------------------------------------------------------------------------------------------
// GET /api/reports/{tenant}/kpis/cash

/// <summary>REP-2 cash KPIs for a range; balances are as of the range's last day.</summary>
public sealed record CashKpisView(
    KpiScopeView Scope,
    DurationPercentilesView WonToCash,
    DsoView Dso,
    CollectedWithinTermsView CollectedWithinTerms,
    AgingSnapshotView Aging,
    IReadOnlyList<SegmentDaysToPayView> DaysToPayBySegment,
    CeiView CollectionEffectiveness);

/// <summary>Days sales outstanding by two methods, labelled; both are at the range's last day.</summary>
/// <param name="ReceivablesAtEnd">Open receivables at the end of the range.</param>
/// <param name="CreditSales">Invoiced (credit) sales in the range, net of credit memos and voids.</param>
/// <param name="DaysInPeriod">Calendar days in the range.</param>
/// <param name="Simple">"simple": ReceivablesAtEnd ÷ CreditSales × DaysInPeriod, one decimal.</param>
/// <param name="Countback">"countback": days of sales, month by month backwards from the range end, that make up the receivables, one decimal.</param>
public sealed record DsoView(decimal ReceivablesAtEnd, decimal CreditSales, int DaysInPeriod, DsoFigureView Simple, DsoFigureView Countback);

/// <summary>One DSO figure and the name of its method.</summary>
/// <param name="Method">"simple" or "countback".</param>
/// <param name="Days">The figure in days (one decimal); null when there were no sales to measure against.</param>
public sealed record DsoFigureView(string Method, decimal? Days);

/// <summary>Invoices fully paid in the range, and how many of them by their due date.</summary>
/// <param name="PaidInvoices">Invoices whose balance reached zero by payment in the range.</param>
/// <param name="PaidWithinTerms">Of those, the ones whose last payment came on or before the due date.</param>
/// <param name="CountPercent">PaidWithinTerms ÷ PaidInvoices × 100, two decimals.</param>
/// <param name="CollectedAmount">Cash received in the range.</param>
/// <param name="CollectedWithinTermsAmount">Of that cash, the part received on or before its invoice's due date.</param>
/// <param name="AmountPercent">CollectedWithinTermsAmount ÷ CollectedAmount × 100, two decimals.</param>
public sealed record CollectedWithinTermsView(
    int PaidInvoices, int PaidWithinTerms, decimal? CountPercent, decimal CollectedAmount, decimal CollectedWithinTermsAmount, decimal? AmountPercent);

/// <summary>Open receivables on one day, by days past due: Current (not yet due), 0–30, 31–60, 61–90, 90+.</summary>
public sealed record AgingSnapshotView(DateOnly AsOf, IReadOnlyList<AgingBucketView> Buckets, decimal Total, int OpenInvoices);

/// <summary>One aging bucket.</summary>
/// <param name="Bucket">"Current", "0-30", "31-60", "61-90" or "90+".</param>
public sealed record AgingBucketView(string Bucket, decimal Amount, int Invoices);

/// <summary>Average days from invoice date to full payment for invoices of one segment paid in the range.</summary>
public sealed record SegmentDaysToPayView(string Segment, int PaidInvoices, decimal? AverageDaysToPay, decimal? AverageDaysLate);

/// <summary>Collection Effectiveness Index for the range (definition in <see cref="Definition"/>).</summary>
/// <param name="BeginningReceivables">Receivables open at the start of the range's first day.</param>
/// <param name="CreditSales">Invoiced sales in the range (total for the range, not a monthly average).</param>
/// <param name="EndingReceivables">Receivables open at the end of the range.</param>
/// <param name="EndingCurrentReceivables">Of those, not yet past due.</param>
/// <param name="Percent">(Beginning + Sales − Ending) ÷ (Beginning + Sales − EndingCurrent) × 100, two decimals.</param>
public sealed record CeiView(
    decimal BeginningReceivables, decimal CreditSales, decimal EndingReceivables, decimal EndingCurrentReceivables, decimal? Percent, string Definition);

// ---------------------------------------------------------------------------------------------------------------------
// GET /api/reports/{tenant}/kpis/revenue

/// <summary>REP-3 revenue and forecast KPIs for a range.</summary>
public sealed record RevenueKpisView(
    KpiScopeView Scope,
    BookingsBillingsView BookingsVsBillings,
    DeferredBalancesView DeferredBalances,
    IReadOnlyList<ForecastMonthView> ForecastVsActual);

/// <summary>Bookings (deals won) against billings (invoices posted) in the range.</summary>
/// <param name="Gap">Bookings − Billings.</param>
/// <param name="BilledPercent">Billings ÷ Bookings × 100, two decimals.</param>
public sealed record BookingsBillingsView(decimal Bookings, decimal Billings, decimal Gap, decimal? BilledPercent, int DealsWon, int InvoicesPosted);

/// <summary>Money billed in advance and not yet earned, at the range's last day.</summary>
/// <param name="Retainers">Retainer deposits and replenishments invoiced less billable time drawn down.</param>
/// <param name="PrepaidSubscriptions">Subscription invoices' unelapsed service, pro rata by day.</param>
public sealed record DeferredBalancesView(DateOnly AsOf, decimal Retainers, decimal PrepaidSubscriptions, decimal Total, IReadOnlyList<DeferredDealView> Deals);

/// <summary>One deal's deferred balance.</summary>
/// <param name="Kind">"retainer" or "subscription".</param>
public sealed record DeferredDealView(Guid FlowId, string? DealName, string Kind, decimal Billed, decimal Earned, decimal Deferred);

/// <summary>One month of collections: forecast by due dates against cash actually received.</summary>
/// <param name="Forecast">Invoiced amount (net of credits and voids) of invoices falling due in the month.</param>
/// <param name="Actual">Cash received in the month.</param>
/// <param name="Variance">Actual − Forecast.</param>
public sealed record ForecastMonthView(DateOnly Month, decimal Forecast, decimal Actual, decimal Variance);

// ---------------------------------------------------------------------------------------------------------------------
// GET /api/reports/{tenant}/kpis/profitability   (tabular: CSV too)
// GET/PUT /api/reports/{tenant}/cost-rates

/// <summary>REP-4 project profitability, one row per deal with time or billing in the range.</summary>
public sealed record ProfitabilityView(KpiScopeView Scope, IReadOnlyList<DealProfitabilityView> Deals, DealProfitabilityView Totals);

/// <summary>One deal's hours, revenue, cost and margin in the range.</summary>
/// <param name="Revenue">Invoiced in the range net of credit memos.</param>
/// <param name="Cost">Hours × the cost rate of the person (else of the role, else the default).</param>
/// <param name="EffectiveRate">Revenue ÷ all hours (billable and not), two decimals.</param>
/// <param name="Margin">Revenue − Cost.</param>
/// <param name="MarginPercent">Margin ÷ Revenue × 100, two decimals.</param>
/// <param name="UncostedHours">Hours with no cost rate configured (counted at zero cost).</param>
public sealed record DealProfitabilityView(
    Guid? FlowId, string? DealName, string? Customer, string? BusinessUnit, string? Region, string? BillingModel,
    decimal BillableHours, decimal NonBillableHours, decimal Revenue, decimal Cost, decimal? EffectiveRate, decimal Margin, decimal? MarginPercent,
    decimal UncostedHours);

/// <summary>The tenant's hourly cost rates: a person's rate wins over the role's, the role's over the default.</summary>
public sealed record CostRatesView(decimal? DefaultRate, IReadOnlyList<CostRateView> People, IReadOnlyList<CostRateView> Roles, DateTimeOffset? UpdatedAt);

/// <summary>One hourly cost rate: a person (as time entries name them) or a role.</summary>
public sealed record CostRateView(string Key, decimal Rate);

// ---------------------------------------------------------------------------------------------------------------------
// GET /api/reports/{tenant}/kpis/aging           (tabular: CSV too) — one snapshot at each month end of the range and at `to`

/// <summary>Aging snapshots over time (the stacked-bar chart).</summary>
public sealed record AgingTrendView(KpiScopeView Scope, IReadOnlyList<AgingSnapshotView> Snapshots);

// GET /api/reports/{tenant}/kpis/dso-trend       (tabular: CSV too)

/// <summary>DSO at each month end of the range.</summary>
public sealed record DsoTrendView(KpiScopeView Scope, IReadOnlyList<DsoMonthView> Months);

/// <summary>One month's DSO: simple over that month's sales and days, and countback from that month end.</summary>
public sealed record DsoMonthView(DateOnly Month, decimal ReceivablesAtEnd, decimal CreditSales, decimal? SimpleDays, decimal? CountbackDays);

// GET /api/reports/{tenant}/kpis/cycle-time-trend  (tabular: CSV too)

/// <summary>Invoice cycle time (won → sent) per month of the invoice's sending.</summary>
public sealed record CycleTimeTrendView(KpiScopeView Scope, IReadOnlyList<CycleTimeMonthView> Months);

/// <summary>One month of cycle times, plus won-to-cash for invoices paid that month.</summary>
public sealed record CycleTimeMonthView(DateOnly Month, DurationPercentilesView WonToSent, DurationPercentilesView WonToCash);

// GET /api/reports/{tenant}/kpis/bridge          (tabular: CSV too)

/// <summary>The monthly pipeline-to-cash bridge: bookings → billed → collected, with the variances categorised.</summary>
public sealed record BridgeView(KpiScopeView Scope, IReadOnlyList<BridgeMonthView> Months, BridgeMonthView Totals);

/// <summary>One month of the bridge. BookingsToBilled and BilledToCollected each equal the sum of their four categories.</summary>
public sealed record BridgeMonthView(
    DateOnly Month, decimal Bookings, decimal Billed, decimal Collected,
    VarianceView BookingsToBilled, VarianceView BilledToCollected);

/// <summary>A variance (the later figure minus the earlier one) split by cause; the rules are in docs/kpis.md.</summary>
public sealed record VarianceView(decimal Total, decimal Timing, decimal ScopeChange, decimal Churn, decimal Pricing);

// GET /api/reports/{tenant}/kpis/account-standing  (tabular: CSV too)

/// <summary>REP-6 account standing: one row per customer with receivables, newest change first.</summary>
public sealed record AccountStandingFeedView(KpiScopeView Scope, IReadOnlyList<AccountStandingView> Accounts);

/// <summary>One customer's standing as of the range's last day.</summary>
/// <param name="Standing">"Good", "Past due" (anything overdue) or "Past due 30+" (anything more than 30 days overdue).</param>
public sealed record AccountStandingView(
    Guid CustomerId, string? CustomerName, string? Segment, string Standing, decimal OpenBalance, decimal OverdueBalance, int? OldestDaysPastDue,
    DateOnly? LastPaymentDate, DateTimeOffset? StandingChangedAt);

// ---------------------------------------------------------------------------------------------------------------------
// GET/PUT /api/reports/{tenant}/targets

/// <summary>The finance team's targets with today's value beside each.</summary>
public sealed record TargetsView(DateTimeOffset AsOf, IReadOnlyList<TargetView> Targets);

/// <summary>One target: where the metric was, where it is, where it should be by when.</summary>
/// <param name="Metric">A metric key from GET .../targets/metrics.</param>
/// <param name="Today">The metric's value over the last 30 days (the window is in docs/kpis.md); null when it cannot be measured.</param>
/// <param name="ProgressPercent">(Baseline − Today) ÷ (Baseline − Target) × 100, two decimals.</param>
/// <param name="OnTrack">Whether today's value is at least as close to the target as a straight line from baseline to target says it should be.</param>
public sealed record TargetView(
    string Metric, string Label, string Unit, decimal BaselineValue, DateOnly BaselineDate, decimal TargetValue, DateOnly TargetBy,
    decimal? Today, decimal? ProgressPercent, bool? OnTrack);

/// <summary>The body of PUT .../targets: the whole list, replacing the previous one.</summary>
public sealed record TargetsRequest(IReadOnlyList<TargetRequest> Targets);

/// <summary>One target as finance sets it.</summary>
public sealed record TargetRequest(string Metric, decimal BaselineValue, DateOnly BaselineDate, decimal TargetValue, DateOnly TargetBy);

/// <summary>A metric a target can be set on.</summary>
public sealed record KpiMetricView(string Metric, string Label, string Unit);

// ---------------------------------------------------------------------------------------------------------------------
// GET/PUT /api/reports/{tenant}/ownership

/// <summary>Who owns what: a RACI for each work queue and data domain.</summary>
public sealed record OwnershipView(IReadOnlyList<RaciView> Entries, DateTimeOffset? UpdatedAt);

/// <summary>One queue's or domain's RACI.</summary>
/// <param name="Area">"queue" or "domain".</param>
/// <param name="Name">Queues: "sync-exceptions", "master-data-reviews", "approvals"; domains: "customers", "items", "invoices", "payments".</param>
public sealed record RaciView(
    string Area, string Name, IReadOnlyList<string> Responsible, string? Accountable, IReadOnlyList<string> Consulted, IReadOnlyList<string> Informed);

/// <summary>The body of PUT .../ownership: the entries to set (others keep their value).</summary>
public sealed record OwnershipRequest(IReadOnlyList<RaciView> Entries);

/// <summary>The body of PUT .../cost-rates: the whole set, replacing the previous one.</summary>
public sealed record CostRatesRequest(decimal? DefaultRate, IReadOnlyList<CostRateView> People, IReadOnlyList<CostRateView> Roles);

// POST /api/reports/{tenant}/read-models/rebuild

/// <summary>What a rebuild of the read models did.</summary>
public sealed record RebuildView(string TenantId, int Facts, int Invoices, int Deals, int TimeEntries, int Exceptions, int Customers, int Approvals, TimeSpan Took);
