using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.BillingRules;
using QuoteToCash.Reporting.Apis;
using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.Reporting.Consumers;
using QuoteToCash.Reporting.Domain.ReadModels;
using QuoteToCash.Reporting.Extensions;
using QuoteToCash.Reporting.Infrastructure;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Reporting.Tests.Kpis.Events;

namespace QuoteToCash.Reporting.Tests.Kpis;

/// <summary>
/// The KPI correctness bar: a first quarter of a small consulting firm, played through the consumer on the test harness (some
/// events out of order), then asked through the API. Every expected figure is worked out by hand in the comments.
///
/// The facts (all amounts GBP; the range is 2026-01-01 … 2026-03-31, 90 days):
///   D  won 2025-11-03 09:00, invoice 4,000 dated 2025-11-10 due 2025-12-10; 1,000 paid 2026-01-20; 3,000 still open.
///   A  won 2026-01-05 09:00 (segment Enterprise; the others have none), invoice 10,000 dated 2026-01-06 due 2026-02-05, sent 2026-01-07 09:00; paid in full 2026-02-04.
///   E  won 2026-01-12 09:00 (region US), invoice 2,000 dated 2026-01-12 due 2026-02-11, sent 2026-01-13 09:00; paid in full 2026-02-20.
///   B  won 2026-02-02 09:00 (time and materials), invoice 6,000 dated 2026-02-03 due 2026-03-05, sent 2026-02-06 09:00;
///      2,000 paid 2026-03-10; credit memo 500 on 2026-03-15; 3,500 open.
///   C  won 2026-02-20 09:00 (subscription, monthly), invoice 3,000 dated 2026-03-16 due 2026-04-15, sent 2026-03-16 21:00; open.
/// </summary>
public sealed class KpiScenarioTests : IAsyncLifetime
{
    private const string From = "2026-01-01";
    private const string To = "2026-03-31";
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await ServiceHarness.StartAsync(x => x.AddConsumer<ReadModelConsumer>(), s => s.AddReportingReadModels(),
            cancellationToken: TestContext.Current.CancellationToken);
        var d = (Date: new DateOnly(2025, 11, 10), Due: new DateOnly(2025, 12, 10));
        var a = (Date: new DateOnly(2026, 1, 6), Due: new DateOnly(2026, 2, 5));
        var e = (Date: new DateOnly(2026, 1, 12), Due: new DateOnly(2026, 2, 11));
        var b = (Date: new DateOnly(2026, 2, 3), Due: new DateOnly(2026, 3, 5));
        var c = (Date: new DateOnly(2026, 3, 16), Due: new DateOnly(2026, 4, 15));
        object[] events =
        [
            Won("D", 4_000m, At(2025, 11, 3)), Posted("D", 4_000m, d.Date, d.Due), Sent("D", At(2025, 11, 10)),
            // A's payment arrives before its invoice is posted, and its sending before the deal.
            Paid("A", "pay-A1", 10_000m, 0m, At(2026, 2, 4)), Sent("A", At(2026, 1, 7)), Won("A", 10_000m, At(2026, 1, 5), segment: "Enterprise"), Posted("A", 10_000m, a.Date, a.Due),
            Paid("D", "pay-D1", 1_000m, 3_000m, At(2026, 1, 20)),
            Won("E", 2_000m, At(2026, 1, 12), region: "US"), Posted("E", 2_000m, e.Date, e.Due), Sent("E", At(2026, 1, 13)),
            Paid("E", "pay-E1", 2_000m, 0m, At(2026, 2, 20)),
            Won("B", 6_000m, At(2026, 2, 2), BillingModel.TimeAndMaterials), Posted("B", 6_000m, b.Date, b.Due), Sent("B", At(2026, 2, 6)),
            Paid("B", "pay-B1", 2_000m, 4_000m, At(2026, 3, 10)), Credited("B", "cm-B1", 500m, 3_500m, At(2026, 3, 15)),
            Won("C", 3_000m, At(2026, 2, 20), BillingModel.Subscription,
                billing: new BillingTerms { Model = BillingModel.Subscription, Subscription = new SubscriptionTerms { UnitPrice = 3_000m } }),
            Posted("C", 3_000m, c.Date, c.Due), Sent("C", At(2026, 3, 16, 21)),
        ];
        foreach (var message in events)
            await _harness.DeliverAsync((dynamic)message);
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private Task<ApiCall.Answer> Get(Func<HttpRequest, Task<IResult>> endpoint, string? accept = null) => ApiCall.RunAsync(_harness.Services, endpoint, accept);

    private KpiSnapshots Snapshots => _harness.Services.GetRequiredService<KpiSnapshots>();

    private static KpiApi.KpiFilter Filter(string? region = null, string? format = null) => new(From, To, null, region, format);

    private Task<ApiCall.Answer> Kpis(Func<QuoteToCash.Reporting.Domain.Kpis.KpiCalculator, object> compute, string? region = null) =>
        Get(r => KpiApi.Answer(Tenant, Filter(region), r, Snapshots, _harness.Time, compute, null, TestContext.Current.CancellationToken));

    [Fact]
    public async Task Cycle_time_and_won_to_cash_match_the_hand_computed_days()
    {
        var process = (await Kpis(c => c.Process())).As<ProcessKpisView>();
        // Won → first invoice sent, for deals whose first invoice was sent in Q1 (D's went in November):
        //   A 01-05 09:00 → 01-07 09:00 = 2.00;  E 01-12 09:00 → 01-13 09:00 = 1.00;  B 02-02 09:00 → 02-06 09:00 = 4.00;
        //   C 02-20 09:00 → 03-16 21:00 = 24 days + 12 h = 24.50.   Sorted: 1.00, 2.00, 4.00, 24.50 (n = 4).
        //   p50 (nearest rank ⌈0.5 × 4⌉ = 2nd) = 2.00; p90 (⌈0.9 × 4⌉ = 4th) = 24.50; mean = 31.5 ÷ 4 = 7.875 → 7.88.
        Assert.Equal(new DurationPercentilesView(4, 2.00m, 24.50m, 7.88m), process.InvoiceCycleTime);

        var cash = (await Kpis(c => c.Cash())).As<CashKpisView>();
        // Won day → day the first invoice was paid in full, for invoices paid in Q1: A 01-05 → 02-04 = 30 days; E 01-12 → 02-20 = 39 days.
        //   (B and D are not paid in full.) p50 = 1st of 2 = 30; p90 = ⌈1.8⌉ = 2nd = 39; mean 34.50.
        Assert.Equal(new DurationPercentilesView(2, 30m, 39m, 34.50m), cash.WonToCash);

        // Region UK leaves E out: cycle times 2.00, 4.00, 24.50 → p50 4.00 (2nd of 3), p90 24.50 (3rd); won-to-cash only A's 30.
        var uk = (await Kpis(c => c.Process(), "uk")).As<ProcessKpisView>();
        Assert.Equal(new DurationPercentilesView(3, 4.00m, 24.50m, 10.17m), uk.InvoiceCycleTime); // mean 30.5 ÷ 3 = 10.1666… → 10.17
        Assert.Equal(new DurationPercentilesView(1, 30m, 30m, 30m), (await Kpis(c => c.Cash(), "UK")).As<CashKpisView>().WonToCash);
    }

    [Fact]
    public async Task Dso_by_both_methods_matches_the_hand_computed_figures()
    {
        var dso = (await Kpis(c => c.Cash())).As<CashKpisView>().Dso;
        // Receivables at 03-31: B 6,000 − 2,000 − 500 = 3,500; C 3,000; D 4,000 − 1,000 = 3,000; A and E paid → 9,500.
        // Credit sales in Q1: invoices dated in Q1 A 10,000 + E 2,000 + B 6,000 + C 3,000 = 21,000, less B's credit memo 500 = 20,500.
        Assert.Equal((9_500m, 20_500m, 90), (dso.ReceivablesAtEnd, dso.CreditSales, dso.DaysInPeriod));
        // Simple: 9,500 ÷ 20,500 × 90 = 41.707… → 41.7.
        Assert.Equal(new DsoFigureView("simple", 41.7m), dso.Simple);
        // Countback from 03-31: March sales 3,000 − 500 = 2,500 ≤ 9,500 → 31 days, 7,000 left; February sales 6,000 ≤ 7,000 → 28 days, 1,000 left;
        //   January sales 12,000 > 1,000 → 1,000 ÷ 12,000 × 31 = 2.583 days. Total 31 + 28 + 2.583 = 61.583 → 61.6.
        Assert.Equal(new DsoFigureView("countback", 61.6m), dso.Countback);
    }

    [Fact]
    public async Task Aging_and_cei_match_the_hand_computed_balances()
    {
        var cash = (await Kpis(c => c.Cash())).As<CashKpisView>();
        // At 03-31, days past due: C due 04-15 → −15, Current 3,000; B due 03-05 → 26, 0-30 3,500;
        //   D due 2025-12-10 → 21 + 31 + 28 + 31 = 111, 90+ 3,000.
        Assert.Equal(
            new AgingBucketView[] { new("Current", 3_000m, 1), new("0-30", 3_500m, 1), new("31-60", 0m, 0), new("61-90", 0m, 0), new("90+", 3_000m, 1) },
            cash.Aging.Buckets);
        Assert.Equal((9_500m, 3), (cash.Aging.Total, cash.Aging.OpenInvoices));
        // CEI: beginning receivables (end of 2025-12-31) = D's 4,000; sales 20,500; ending 9,500; ending current (not yet due) = C's 3,000.
        //   (4,000 + 20,500 − 9,500) ÷ (4,000 + 20,500 − 3,000) × 100 = 15,000 ÷ 21,500 × 100 = 69.767… → 69.77.
        var cei = cash.CollectionEffectiveness;
        Assert.Equal((4_000m, 20_500m, 9_500m, 3_000m, 69.77m), (cei.BeginningReceivables, cei.CreditSales, cei.EndingReceivables, cei.EndingCurrentReceivables, cei.Percent));
    }

    [Fact]
    public async Task Within_terms_days_to_pay_error_rate_and_bookings_match_the_hand_computed_figures()
    {
        var cash = (await Kpis(c => c.Cash())).As<CashKpisView>();
        // Paid in full in Q1: A on 02-04 (due 02-05: within), E on 02-20 (due 02-11: late) → 1 of 2 = 50.00 %.
        // Cash in Q1: D 1,000 (01-20, due 2025-12-10: late), A 10,000 (within), E 2,000 (late), B 2,000 (03-10, due 03-05: late) = 15,000;
        //   within terms 10,000 → 66.67 %.
        Assert.Equal(new CollectedWithinTermsView(2, 1, 50.00m, 15_000m, 10_000m, 66.67m), cash.CollectedWithinTerms);
        // Days to pay by the deal's segment: A (Enterprise) 01-06 → 02-04 = 29, 0 late; E (no segment) 01-12 → 02-20 = 39, 9 late.
        Assert.Equal(new[] { new SegmentDaysToPayView("Enterprise", 1, 29.00m, 0.00m), new SegmentDaysToPayView("Unsegmented", 1, 39.00m, 9.00m) },
            cash.DaysToPayBySegment);

        var process = (await Kpis(c => c.Process())).As<ProcessKpisView>();
        // Invoices dated in Q1: A, E, B, C = 4; credited: B → 25.00 %; one memo of 500.
        Assert.Equal(new BillingErrorRateView(4, 1, 1, 25.00m, 500m), process.BillingErrorRate);

        var revenue = (await Kpis(c => c.Revenue())).As<RevenueKpisView>();
        // Bookings: A 10,000 + E 2,000 + B 6,000 + C 3,000 = 21,000; billings 20,500; gap 500; 20,500 ÷ 21,000 = 97.62 %.
        Assert.Equal(new BookingsBillingsView(21_000m, 20_500m, 500m, 97.62m, 4, 4), revenue.BookingsVsBillings);
        // C's monthly period 03-16 … 04-15 (31 days); unelapsed after 03-31: 15 days → 3,000 × 15 ÷ 31 = 1,451.61 deferred.
        Assert.Equal((0m, 1_451.61m), (revenue.DeferredBalances.Retainers, revenue.DeferredBalances.PrepaidSubscriptions));
        // Forecast by due month: Jan nothing due; Feb A 10,000 + E 2,000 = 12,000; Mar B 6,000 − 500 = 5,500.
        // Actual cash: Jan 1,000 (D); Feb 12,000 (A, E); Mar 2,000 (B).
        Assert.Equal(
            new ForecastMonthView[] { new(new DateOnly(2026, 1, 1), 0m, 1_000m, 1_000m), new(new DateOnly(2026, 2, 1), 12_000m, 12_000m, 0m), new(new DateOnly(2026, 3, 1), 5_500m, 2_000m, -3_500m) },
            revenue.ForecastVsActual);
    }

    [Fact]
    public async Task The_bridge_splits_each_month_s_variance_by_the_documented_rules()
    {
        var bridge = (await Kpis(c => c.Bridge())).As<BridgeView>();
        var march = bridge.Months[2];
        // March: bookings 0 (C was won in February); billed C 3,000 − B's credit memo 500 = 2,500; collected 2,000.
        //   Booked → billed +2,500 = pricing −500 (the credit memo) + timing +3,000 (billing of earlier bookings).
        //   Billed → collected −500 = timing −500.
        Assert.Equal((0m, 2_500m, 2_000m), (march.Bookings, march.Billed, march.Collected));
        Assert.Equal(new VarianceView(2_500m, 3_000m, 0m, 0m, -500m), march.BookingsToBilled);
        Assert.Equal(new VarianceView(-500m, -500m, 0m, 0m, 0m), march.BilledToCollected);
        Assert.Equal((21_000m, 20_500m, 15_000m), (bridge.Totals.Bookings, bridge.Totals.Billed, bridge.Totals.Collected));
    }

    [Fact]
    public async Task Tabular_kpis_answer_csv_with_the_same_figures()
    {
        var csv = await Get(r => KpiApi.Aging(Tenant, Filter(format: "csv"), r, Snapshots, _harness.Time, TestContext.Current.CancellationToken));
        Assert.Equal(200, csv.Status);
        Assert.StartsWith("text/csv", csv.ContentType);
        var lines = csv.Body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("asOf,bucket,amount,invoices", lines[0]);
        Assert.Contains("2026-03-31,90+,3000,1", lines);
        // At 01-31: D's 3,000 is 52 days past due (31-60); A's 10,000 and E's 2,000 are not yet due.
        Assert.Contains("2026-01-31,31-60,3000,1", lines);
        Assert.Contains("2026-01-31,Current,12000,2", lines);
    }
}
