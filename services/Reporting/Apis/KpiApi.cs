using System.Globalization;
using System.Text;
using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.Reporting.Infrastructure;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;

namespace QuoteToCash.Reporting.Apis;

/// <summary>The KPI endpoints (docs/kpis.md): JSON, and CSV where tabular; every answer is computed from the read models.</summary>
public static class KpiApi
{
    public const string SettingsCollection = Domain.ReadModels.ReadModelCollections.Settings;

    public static IEndpointRouteBuilder MapKpiApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/reports/{tenant}").RequireTenantAccess().WithTags("Reports");
        read.MapGet("/kpis/process", (string tenant, [AsParameters] KpiFilter filter, HttpRequest request, KpiSnapshots snapshots, TimeProvider time, CancellationToken ct) =>
            Answer(tenant, filter, request, snapshots, time, c => c.Process(), null, ct));
        read.MapGet("/kpis/cash", (string tenant, [AsParameters] KpiFilter filter, HttpRequest request, KpiSnapshots snapshots, TimeProvider time, CancellationToken ct) =>
            Answer(tenant, filter, request, snapshots, time, c => c.Cash(), null, ct));
        read.MapGet("/kpis/revenue", (string tenant, [AsParameters] KpiFilter filter, HttpRequest request, KpiSnapshots snapshots, TimeProvider time, CancellationToken ct) =>
            Answer(tenant, filter, request, snapshots, time, c => c.Revenue(), null, ct));
        read.MapGet("/kpis/aging", Aging);
        read.MapGet("/kpis/dso-trend", DsoTrend);
        read.MapGet("/kpis/cycle-time-trend", CycleTimeTrend);
        read.MapGet("/kpis/bridge", Bridge);
        read.MapGet("/kpis/account-standing", AccountStanding);
        read.MapGet("/kpis/profitability", Profitability);
        read.MapGet("/targets", GetTargets);
        read.MapGet("/targets/metrics", () => TypedResults.Ok(KpiMetrics.All.Select(m => new KpiMetricView(m.Key, m.Label, m.Unit)).ToList()));
        read.MapGet("/ownership", GetOwnership);
        read.MapGet("/cost-rates", GetCostRates);

        var manage = app.MapGroup("/api/reports/{tenant}").RequireTenantAccess(Policies.FinanceManager).WithTags("Reports");
        manage.MapPut("/targets", PutTargets);
        manage.MapPut("/ownership", PutOwnership);
        manage.MapPut("/cost-rates", PutCostRates);
        app.MapGroup("/api/reports/{tenant}").RequireTenantAccess(Policies.Admin).WithTags("Reports")
            .MapPost("/read-models/rebuild", async (string tenant, ReadModelRebuilder rebuilder, CancellationToken ct) =>
                TypedResults.Ok(await rebuilder.RebuildAsync(tenant, ct)));
        return app;
    }

    /// <summary>The query filters every KPI endpoint takes.</summary>
    public sealed record KpiFilter(string? From, string? To, string? BusinessUnit, string? Region, string? Format);

    public static Task<IResult> Aging(string tenant, [AsParameters] KpiFilter filter, HttpRequest request, KpiSnapshots snapshots, TimeProvider time, CancellationToken ct) =>
        Answer(tenant, filter, request, snapshots, time, c => c.AgingTrend(), v => Csv(["asOf", "bucket", "amount", "invoices"],
            v.Snapshots.SelectMany(s => s.Buckets.Select(b => new object?[] { s.AsOf, b.Bucket, b.Amount, b.Invoices }))), ct);

    public static Task<IResult> DsoTrend(string tenant, [AsParameters] KpiFilter filter, HttpRequest request, KpiSnapshots snapshots, TimeProvider time, CancellationToken ct) =>
        Answer(tenant, filter, request, snapshots, time, c => c.DsoTrend(), v => Csv(["month", "receivablesAtEnd", "creditSales", "dsoSimpleDays", "dsoCountbackDays"],
            v.Months.Select(m => new object?[] { m.Month, m.ReceivablesAtEnd, m.CreditSales, m.SimpleDays, m.CountbackDays })), ct);

    public static Task<IResult> CycleTimeTrend(string tenant, [AsParameters] KpiFilter filter, HttpRequest request, KpiSnapshots snapshots, TimeProvider time, CancellationToken ct) =>
        Answer(tenant, filter, request, snapshots, time, c => c.CycleTimeTrend(), v => Csv(
            ["month", "wonToSentCount", "wonToSentP50Days", "wonToSentP90Days", "wonToCashCount", "wonToCashP50Days", "wonToCashP90Days"],
            v.Months.Select(m => new object?[] { m.Month, m.WonToSent.Count, m.WonToSent.P50Days, m.WonToSent.P90Days, m.WonToCash.Count, m.WonToCash.P50Days, m.WonToCash.P90Days })), ct);

    public static Task<IResult> Bridge(string tenant, [AsParameters] KpiFilter filter, HttpRequest request, KpiSnapshots snapshots, TimeProvider time, CancellationToken ct) =>
        Answer(tenant, filter, request, snapshots, time, c => c.Bridge(), v => Csv(
            ["month", "bookings", "billed", "collected", "bookedToBilled", "bookedToBilledTiming", "bookedToBilledScopeChange", "bookedToBilledChurn", "bookedToBilledPricing",
             "billedToCollected", "billedToCollectedTiming", "billedToCollectedScopeChange", "billedToCollectedChurn", "billedToCollectedPricing"],
            v.Months.Select(m => new object?[]
            {
                m.Month, m.Bookings, m.Billed, m.Collected, m.BookingsToBilled.Total, m.BookingsToBilled.Timing, m.BookingsToBilled.ScopeChange, m.BookingsToBilled.Churn,
                m.BookingsToBilled.Pricing, m.BilledToCollected.Total, m.BilledToCollected.Timing, m.BilledToCollected.ScopeChange, m.BilledToCollected.Churn,
                m.BilledToCollected.Pricing,
            })), ct);

    public static Task<IResult> AccountStanding(string tenant, [AsParameters] KpiFilter filter, HttpRequest request, KpiSnapshots snapshots, TimeProvider time, CancellationToken ct) =>
        Answer(tenant, filter, request, snapshots, time, c => c.AccountStanding(), v => Csv(
            ["customerId", "customerName", "segment", "standing", "openBalance", "overdueBalance", "oldestDaysPastDue", "lastPaymentDate", "standingChangedAt"],
            v.Accounts.Select(a => new object?[] { a.CustomerId, a.CustomerName, a.Segment, a.Standing, a.OpenBalance, a.OverdueBalance, a.OldestDaysPastDue, a.LastPaymentDate, a.StandingChangedAt })), ct);

    public static async Task<IResult> Profitability(string tenant, [AsParameters] KpiFilter filter, HttpRequest request, KpiSnapshots snapshots, TimeProvider time,
        Domain.ReadModels.IReportingSettingsStore settings, CancellationToken ct)
    {
        var rates = (await settings.GetAsync(tenant, ct)).CostRates;
        return await Answer(tenant, filter, request, snapshots, time, c => c.Profitability(rates), v => Csv(
            ["flowId", "dealName", "customer", "businessUnit", "region", "billingModel", "billableHours", "nonBillableHours", "revenue", "cost", "effectiveRate", "margin",
             "marginPercent", "uncostedHours"],
            v.Deals.Select(d => new object?[] { d.FlowId, d.DealName, d.Customer, d.BusinessUnit, d.Region, d.BillingModel, d.BillableHours, d.NonBillableHours, d.Revenue,
                d.Cost, d.EffectiveRate, d.Margin, d.MarginPercent, d.UncostedHours })), ct);
    }

    /// <summary>Validates the filters, computes the view and answers JSON, or CSV when asked and the view is tabular.</summary>
    public static async Task<IResult> Answer<TView>(string tenant, KpiFilter filter, HttpRequest request, KpiSnapshots snapshots, TimeProvider time,
        Func<KpiCalculator, TView> compute, Func<TView, string>? csv, CancellationToken ct)
    {
        if (Parse(filter, time) is not { } query)
            return BadFilter(filter, time)!;
        var format = filter.Format?.Trim().ToLowerInvariant();
        if (format is not (null or "" or "json" or "csv"))
            return Bad("Unknown format", $"format '{filter.Format}' is not one of json, csv.");
        var wantsCsv = format == "csv" || format is null or "" && request.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true);
        if (wantsCsv && csv is null)
            return Bad("CSV not available", "This KPI is not tabular; ask for JSON.");
        var view = compute(new KpiCalculator(await snapshots.ForTenantAsync(tenant, ct), query));
        return wantsCsv ? Results.Text(csv!(view), "text/csv; charset=utf-8", Encoding.UTF8) : Results.Ok(view);
    }

    /// <summary>The question the filters ask; null when they are invalid (see <see cref="BadFilter"/>).</summary>
    public static KpiQuery? Parse(KpiFilter filter, TimeProvider time) => BadFilter(filter, time) is null ? Query(filter, time) : null;

    private static KpiQuery Query(KpiFilter filter, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var to = filter.To is { Length: > 0 } t ? DateOnly.ParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture) : DateOnly.FromDateTime(now.UtcDateTime);
        var from = filter.From is { Length: > 0 } f ? DateOnly.ParseExact(f, "yyyy-MM-dd", CultureInfo.InvariantCulture) : to.AddMonths(-12).AddDays(1);
        return new KpiQuery(from, to, Blank(filter.BusinessUnit), Blank(filter.Region), now);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static IResult? BadFilter(KpiFilter filter, TimeProvider time)
    {
        foreach (var (name, value) in new[] { ("from", filter.From), ("to", filter.To) })
            if (value is { Length: > 0 } && !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                return Bad("Invalid date", $"'{name}' must be a date as yyyy-MM-dd; '{value}' is not.");
        var query = Query(filter, time);
        if (query.From > query.To)
            return Bad("Invalid range", $"'from' ({query.From:yyyy-MM-dd}) is after 'to' ({query.To:yyyy-MM-dd}).");
        if (query.Days > 3 * 366)
            return Bad("Range too long", "A KPI range can span at most three years.");
        return null;
    }

    private static IResult Bad(string title, string detail) => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);

    /// <summary>RFC 4180 CSV with a header row; numbers and dates in invariant form.</summary>
    public static string Csv(IReadOnlyList<string> headers, IEnumerable<object?[]> rows)
    {
        var text = new StringBuilder();
        text.Append(string.Join(',', headers)).Append("\r\n");
        foreach (var row in rows)
            text.Append(string.Join(',', row.Select(Cell))).Append("\r\n");
        return text.ToString();

        static string Cell(object? value)
        {
            var s = value switch
            {
                null => "",
                DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                DateTimeOffset t => t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
            return s.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
        }
    }

    // -------------------------------------------------------------------------------------------------------- settings

    public static async Task<IResult> GetTargets(string tenant, Domain.ReadModels.IReportingSettingsStore settings, KpiSnapshots snapshots, TimeProvider time, CancellationToken ct)
    {
        var stored = await settings.GetAsync(tenant, ct);
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var calculator = new KpiCalculator(await snapshots.ForTenantAsync(tenant, ct), new KpiQuery(today.AddDays(1 - KpiMetrics.TodayWindowDays), today, null, null, now));
        return Results.Ok(new TargetsView(now, stored.Targets.Select(t =>
        {
            var metric = KpiMetrics.Find(t.Metric)!;
            var value = metric.Measure(calculator);
            var (progress, onTrack) = KpiMetrics.Progress(t, value, today);
            return new TargetView(metric.Key, metric.Label, metric.Unit, t.BaselineValue, t.BaselineDate, t.TargetValue, t.TargetBy, value, progress, onTrack);
        }).ToList()));
    }

    public static async Task<IResult> PutTargets(string tenant, TargetsRequest? body, Domain.ReadModels.IReportingSettingsStore settings, KpiSnapshots snapshots,
        TimeProvider time, CancellationToken ct)
    {
        if (body?.Targets is null)
            return Bad("Targets missing", "Send {\"targets\": [...]}.");
        if (body.Targets.Any(t => t is null))
            return Bad("Invalid target", "A target cannot be null; send an object with metric, baseline and target.");
        foreach (var t in body.Targets)
        {
            if (KpiMetrics.Find(t.Metric ?? "") is null)
                return Bad("Unknown metric", $"'{t.Metric}' is not a metric; GET .../targets/metrics lists them.");
            if (t.TargetBy < t.BaselineDate)
                return Bad("Invalid target", $"The target date of '{t.Metric}' ({t.TargetBy:yyyy-MM-dd}) is before its baseline date ({t.BaselineDate:yyyy-MM-dd}).");
        }
        if (body.Targets.GroupBy(t => t.Metric.ToLowerInvariant()).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return Bad("Duplicate metric", $"'{twice.Key}' has more than one target.");
        await settings.UpdateAsync(tenant, s =>
        {
            s.Targets = body.Targets.Select(t => new KpiTarget
            {
                Metric = KpiMetrics.Find(t.Metric)!.Key, BaselineValue = t.BaselineValue, BaselineDate = t.BaselineDate, TargetValue = t.TargetValue, TargetBy = t.TargetBy,
            }).ToList();
            s.TargetsUpdatedAt = time.GetUtcNow();
        }, ct);
        return await GetTargets(tenant, settings, snapshots, time, ct);
    }

    public static async Task<IResult> GetOwnership(string tenant, Domain.ReadModels.IReportingSettingsStore settings, CancellationToken ct) =>
        Results.Ok(OwnershipOf(await settings.GetAsync(tenant, ct)));

    private static OwnershipView OwnershipOf(ReportingSettings s) => new(OwnershipAreas.All.Select(a =>
        s.Ownership.FirstOrDefault(e => e.Area == a.Area && e.Name == a.Name) is { } e
            ? new RaciView(e.Area, e.Name, e.Responsible, e.Accountable, e.Consulted, e.Informed)
            : new RaciView(a.Area, a.Name, [], null, [], [])).ToList(), s.OwnershipUpdatedAt);

    public static async Task<IResult> PutOwnership(string tenant, OwnershipRequest? body, Domain.ReadModels.IReportingSettingsStore settings, TimeProvider time,
        CancellationToken ct)
    {
        if (body?.Entries is null)
            return Bad("Entries missing", "Send {\"entries\": [...]}.");
        if (body.Entries.Any(e => e is null))
            return Bad("Invalid entry", "An ownership entry cannot be null; send an object with area, name and the people.");
        foreach (var e in body.Entries)
            if (!OwnershipAreas.All.Contains(((e.Area ?? "").ToLowerInvariant(), (e.Name ?? "").ToLowerInvariant())))
                return Bad("Unknown queue or domain", $"'{e.Area}/{e.Name}' is not one of {string.Join(", ", OwnershipAreas.All.Select(a => a.Area + "/" + a.Name))}.");
        static List<string> People(IReadOnlyList<string>? names) => (names ?? []).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).Distinct().ToList();
        var saved = await settings.UpdateAsync(tenant, s =>
        {
            foreach (var e in body.Entries)
            {
                var (area, name) = (e.Area.ToLowerInvariant(), e.Name.ToLowerInvariant());
                s.Ownership.RemoveAll(x => x.Area == area && x.Name == name);
                s.Ownership.Add(new RaciEntry
                {
                    Area = area, Name = name, Responsible = People(e.Responsible), Accountable = string.IsNullOrWhiteSpace(e.Accountable) ? null : e.Accountable.Trim(),
                    Consulted = People(e.Consulted), Informed = People(e.Informed),
                });
            }
            s.OwnershipUpdatedAt = time.GetUtcNow();
        }, ct);
        return Results.Ok(OwnershipOf(saved));
    }

    public static async Task<IResult> GetCostRates(string tenant, Domain.ReadModels.IReportingSettingsStore settings, CancellationToken ct) =>
        Results.Ok(CostRatesOf((await settings.GetAsync(tenant, ct)).CostRates));

    private static CostRatesView CostRatesOf(CostRates r) => new(r.DefaultRate,
        r.People.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new CostRateView(p.Key, p.Value)).ToList(),
        r.Roles.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new CostRateView(p.Key, p.Value)).ToList(), r.UpdatedAt);

    public static async Task<IResult> PutCostRates(string tenant, CostRatesRequest? body, Domain.ReadModels.IReportingSettingsStore settings, TimeProvider time,
        CancellationToken ct)
    {
        if (body is null)
            return Bad("Cost rates missing", "Send {\"defaultRate\": ..., \"people\": [...], \"roles\": [...]}.");
        var all = (body.People ?? []).Concat(body.Roles ?? []).ToList();
        if (body.DefaultRate < 0m || all.Any(r => r is null || r.Rate < 0m || string.IsNullOrWhiteSpace(r.Key)))
            return Bad("Invalid cost rate", "Every rate needs a person or role name and an hourly cost of zero or more.");
        var saved = await settings.UpdateAsync(tenant, s => s.CostRates = new CostRates
        {
            DefaultRate = body.DefaultRate,
            People = (body.People ?? []).GroupBy(p => p.Key.Trim().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Last().Rate),
            Roles = (body.Roles ?? []).GroupBy(p => p.Key.Trim().ToLowerInvariant()).ToDictionary(g => g.Key, g => g.Last().Rate),
            UpdatedAt = time.GetUtcNow(),
        }, ct);
        return Results.Ok(CostRatesOf(saved.CostRates));
    }
}
