using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.Reporting.Apis;
using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.Reporting.Consumers;
using QuoteToCash.Reporting.Domain.ReadModels;
using QuoteToCash.Reporting.Extensions;
using QuoteToCash.Reporting.Infrastructure;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Reporting.Tests.Kpis.Events;

namespace QuoteToCash.Reporting.Tests.Kpis;

/// <summary>The KPI API's validation, CSV, targets, ownership, cost rates with profitability, and the read-model rebuild.</summary>
public sealed class KpiApiTests : IAsyncLifetime
{
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        // "Today" is 2026-03-31 12:00 for the targets' 30-day window.
        _harness = await ServiceHarness.StartAsync(x => x.AddConsumer<ReadModelConsumer>(), s => s.AddReportingReadModels(),
            start: At(2026, 3, 31, 12), cancellationToken: TestContext.Current.CancellationToken);
        await _harness.DeliverAsync(Won("A", 10_000m, At(2026, 3, 2), BillingModel.TimeAndMaterials));
        await _harness.DeliverAsync(Posted("A", 10_000m, new DateOnly(2026, 3, 3), new DateOnly(2026, 4, 2)));
        await _harness.DeliverAsync(Sent("A", At(2026, 3, 5)));
        await _harness.DeliverAsync(Won("B", 4_000m, At(2026, 3, 10)));
        await _harness.DeliverAsync(Posted("B", 4_000m, new DateOnly(2026, 3, 10), new DateOnly(2026, 4, 9)));
        await _harness.DeliverAsync(Sent("B", At(2026, 3, 11)));
        foreach (var (id, person, role, hours, billable) in new[] { ("T1", "Ana", "senior", 20m, true), ("T2", "Ben", "junior", 30m, true), ("T3", "Ana", "senior", 10m, false) })
            await _harness.DeliverAsync(new TimeEntryLogged
            {
                TenantId = Tenant, FlowId = Flow("A"), SourceSystem = "hubspot", ExternalDealId = "A", EntryId = id, Person = person, Role = role,
                Date = new DateOnly(2026, 3, 12), Hours = hours, Billable = billable,
            });
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private KpiSnapshots Snapshots => _harness.Services.GetRequiredService<KpiSnapshots>();
    private IReportingSettingsStore Settings => _harness.Services.GetRequiredService<IReportingSettingsStore>();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<ApiCall.Answer> Run(Func<HttpRequest, Task<IResult>> endpoint, string? accept = null) => ApiCall.RunAsync(_harness.Services, endpoint, accept);

    [Theory]
    [InlineData("2026-13-01", "2026-03-31", null, "Invalid date")]
    [InlineData("yesterday", null, null, "Invalid date")]
    [InlineData("2026-03-31", "2026-01-01", null, "Invalid range")]
    [InlineData("2026-01-01", "2026-03-31", "xml", "Unknown format")]
    [InlineData("2020-01-01", "2026-03-31", null, "Range too long")]
    public async Task Bad_filters_are_a_400_problem(string? from, string? to, string? format, string title)
    {
        var answer = await Run(r => KpiApi.Bridge(Tenant, new KpiApi.KpiFilter(from, to, null, null, format), r, Snapshots, _harness.Time, Ct));

        Assert.Equal((400, "application/problem+json"), (answer.Status, answer.ContentType));
        Assert.Equal(title, answer.Json.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_non_tabular_kpi_refuses_csv_and_a_tabular_one_answers_it_on_the_accept_header()
    {
        var refused = await Run(r => KpiApi.Answer(Tenant, new KpiApi.KpiFilter(null, null, null, null, "csv"), r, Snapshots, _harness.Time, c => c.Process(), null, Ct));
        Assert.Equal(400, refused.Status);

        var csv = await Run(r => KpiApi.DsoTrend(Tenant, new KpiApi.KpiFilter("2026-03-01", "2026-03-31", null, null, null), r, Snapshots, _harness.Time, Ct), "text/csv");
        Assert.StartsWith("text/csv", csv.ContentType);
        // March: receivables 14,000, sales 14,000 → simple 14,000 ÷ 14,000 × 31 = 31; countback: all of March's sales → 31.
        Assert.Equal(["month,receivablesAtEnd,creditSales,dsoSimpleDays,dsoCountbackDays", "2026-03-01,14000,14000,31,31"],
            csv.Body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Default_range_is_the_twelve_months_ending_today()
    {
        var answer = await Run(r => KpiApi.Answer(Tenant, new KpiApi.KpiFilter(null, null, null, null, null), r, Snapshots, _harness.Time, c => c.Process(), null, Ct));
        var scope = answer.As<ProcessKpisView>().Scope;
        Assert.Equal((new DateOnly(2025, 4, 1), new DateOnly(2026, 3, 31)), (scope.From, scope.To));
    }

    [Fact]
    public async Task Targets_show_baseline_today_and_target_side_by_side()
    {
        var put = await Run(_ => KpiApi.PutTargets(Tenant, new TargetsRequest([
            new("invoice-cycle-time-p50-days", 3m, new DateOnly(2026, 3, 1), 1m, new DateOnly(2026, 5, 30)),
            new("duplicate-customers-flagged", 10m, new DateOnly(2026, 3, 1), 2m, new DateOnly(2026, 4, 30)),
        ]), Settings, Snapshots, _harness.Time, Ct));

        Assert.Equal(200, put.Status);
        var targets = put.As<TargetsView>().Targets;
        // Cycle times in the 30 days to 03-31: A 03-02 09:00 → 03-05 09:00 = 3; B 03-10 → 03-11 = 1 → p50 (1st of 2) = 1.00.
        // Progress (3 − 1) ÷ (3 − 1) = 100 %; 30 of 90 days gone, so on track.
        Assert.Equal(new TargetView("invoice-cycle-time-p50-days", "Invoice cycle time, won → sent (p50)", "days", 3m, new DateOnly(2026, 3, 1), 1m,
            new DateOnly(2026, 5, 30), 1.00m, 100.00m, true), targets[0]);
        // No customers flagged: today 0 → progress (10 − 0) ÷ (10 − 2) = 125 %.
        Assert.Equal((0m, 125.00m, true), (targets[1].Today, targets[1].ProgressPercent, targets[1].OnTrack));

        var unknown = await Run(_ => KpiApi.PutTargets(Tenant, new TargetsRequest([new("happiness", 1m, new DateOnly(2026, 3, 1), 2m, new DateOnly(2026, 4, 1))]),
            Settings, Snapshots, _harness.Time, Ct));
        Assert.Equal((400, "Unknown metric"), (unknown.Status, unknown.Json.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task Ownership_keeps_a_raci_per_queue_and_domain()
    {
        var put = await Run(_ => KpiApi.PutOwnership(Tenant, new OwnershipRequest([
            new("queue", "sync-exceptions", ["ana@firm.test", "ben@firm.test"], "cfo@firm.test", ["it@firm.test"], ["sales@firm.test"]),
        ]), Settings, _harness.Time, Ct));
        Assert.Equal(200, put.Status);

        var view = (await Run(_ => KpiApi.GetOwnership(Tenant, Settings, Ct))).As<OwnershipView>();
        Assert.Equal(7, view.Entries.Count);
        var exceptions = Assert.Single(view.Entries, e => e.Name == "sync-exceptions");
        Assert.Equal(["ana@firm.test", "ben@firm.test"], exceptions.Responsible);
        Assert.Equal("cfo@firm.test", exceptions.Accountable);
        Assert.Equal(["it@firm.test"], exceptions.Consulted);
        Assert.Equal(["sales@firm.test"], exceptions.Informed);
        Assert.Empty(Assert.Single(view.Entries, e => e.Name == "payments").Responsible);

        var bad = await Run(_ => KpiApi.PutOwnership(Tenant, new OwnershipRequest([new("queue", "coffee", [], null, [], [])]), Settings, _harness.Time, Ct));
        Assert.Equal(400, bad.Status);
    }

    [Fact]
    public async Task Profitability_uses_the_person_s_cost_rate_before_the_role_s_and_the_default()
    {
        await Run(_ => KpiApi.PutCostRates(Tenant, new CostRatesRequest(null, [new("Ana", 90m)], [new("junior", 40m)]), Settings, _harness.Time, Ct));

        var answer = await Run(r => KpiApi.Profitability(Tenant, new KpiApi.KpiFilter("2026-03-01", "2026-03-31", null, null, null), r, Snapshots, _harness.Time, Settings, Ct));
        var deal = Assert.Single(answer.As<ProfitabilityView>().Deals, d => d.FlowId == Flow("A"));
        // Hours: billable 20 (Ana) + 30 (Ben) = 50, non-billable 10 (Ana). Cost: Ana 30 h × 90 = 2,700; Ben 30 h × 40 (junior) = 1,200 → 3,900.
        // Revenue 10,000; effective rate 10,000 ÷ 60 = 166.67; margin 6,100 = 61.00 %.
        Assert.Equal((50m, 10m, 10_000m, 3_900m, 166.67m, 6_100m, 61.00m, 0m),
            (deal.BillableHours, deal.NonBillableHours, deal.Revenue, deal.Cost, deal.EffectiveRate, deal.Margin, deal.MarginPercent, deal.UncostedHours));

        var negative = await Run(_ => KpiApi.PutCostRates(Tenant, new CostRatesRequest(-1m, [], []), Settings, _harness.Time, Ct));
        Assert.Equal(400, negative.Status);
    }

    [Fact]
    public async Task A_rebuild_from_the_stored_facts_gives_the_same_read_models_and_kpis()
    {
        var filter = new KpiApi.KpiFilter("2026-03-01", "2026-03-31", null, null, null);
        var before = (await Run(r => KpiApi.Answer(Tenant, filter, r, Snapshots, _harness.Time, c => c.Cash(), null, Ct))).Body;
        var invoice = await _harness.GetAsync<InvoiceFact>(ReadModelCollections.Invoices, InvoiceOf("A").ToString("D"));

        // Lose the read models (as after a projection change), keeping the facts.
        await _harness.Store.CommitAsync([DocumentWriteOf(ReadModelCollections.Invoices, InvoiceOf("A")), DocumentWriteOf(ReadModelCollections.Deals, Flow("B"))], Ct);
        var rebuilt = await _harness.Services.GetRequiredService<ReadModelRebuilder>().RebuildAsync(Tenant, Ct);

        Assert.Equal((Tenant, 9, 2, 2, 3), (rebuilt.TenantId, rebuilt.Facts, rebuilt.Invoices, rebuilt.Deals, rebuilt.TimeEntries));
        var again = await _harness.GetAsync<InvoiceFact>(ReadModelCollections.Invoices, InvoiceOf("A").ToString("D"));
        Assert.Equal((invoice!.Total, invoice.InvoiceDate, invoice.DueDate, invoice.SentAt), (again!.Total, again.InvoiceDate, again.DueDate, again.SentAt));
        var after = (await Run(r => KpiApi.Answer(Tenant, filter, r, Snapshots, _harness.Time, c => c.Cash(), null, Ct))).Body;
        Assert.Equal(Strip(before), Strip(after));
        // Another tenant's rebuild touches nothing of this one.
        Assert.Equal(0, (await _harness.Services.GetRequiredService<ReadModelRebuilder>().RebuildAsync("other-firm", Ct)).Facts);
        Assert.NotNull(await _harness.GetAsync<InvoiceFact>(ReadModelCollections.Invoices, InvoiceOf("A").ToString("D")));

        static string Strip(string json) => System.Text.RegularExpressions.Regex.Replace(json, "\"asOf\":\"[^\"]*\"", "");
    }

    private static ServiceDefaults.Storage.DocumentWrite DocumentWriteOf(string collection, Guid id) =>
        ServiceDefaults.Storage.DocumentWrite.Delete(collection, id.ToString("D"));
}
