using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.WebApp.Gateway;

namespace QuoteToCash.WebApp.Pages.Tenant.Dashboard;

/// <summary>
/// The CFO dashboard: headline KPIs, the four charts (each with its data table and CSV), and the targets beside today's
/// values. Every block comes from reporting's KPI API; a block whose call fails says so and the rest still shows.
/// </summary>
public sealed class IndexModel(GatewayClient api) : TenantPageModel(api)
{
    /// <summary>The charts that export as CSV, and the KPI endpoint that renders each.</summary>
    public static readonly IReadOnlyDictionary<string, string> CsvEndpoints = new Dictionary<string, string>
    {
        ["cycle-time-trend"] = "kpis/cycle-time-trend",
        ["aging"] = "kpis/aging",
        ["dso-trend"] = "kpis/dso-trend",
        ["bridge"] = "kpis/bridge",
        ["account-standing"] = "kpis/account-standing",
        ["profitability"] = "kpis/profitability",
    };

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? BusinessUnit { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Region { get; set; }

    public ApiResult<ProcessKpisView>? Process { get; private set; }
    public ApiResult<CashKpisView>? Cash { get; private set; }
    public ApiResult<RevenueKpisView>? Revenue { get; private set; }
    public ApiResult<CycleTimeTrendView>? CycleTime { get; private set; }
    public ApiResult<AgingTrendView>? Aging { get; private set; }
    public ApiResult<DsoTrendView>? Dso { get; private set; }
    public ApiResult<BridgeView>? Bridge { get; private set; }
    public ApiResult<TargetsView>? Targets { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var filter = Filter();
        var process = Api.GetAsync<ProcessKpisView>(ApiPath("reports", "kpis/process") + filter, cancellationToken);
        var cash = Api.GetAsync<CashKpisView>(ApiPath("reports", "kpis/cash") + filter, cancellationToken);
        var revenue = Api.GetAsync<RevenueKpisView>(ApiPath("reports", "kpis/revenue") + filter, cancellationToken);
        var cycle = Api.GetAsync<CycleTimeTrendView>(ApiPath("reports", "kpis/cycle-time-trend") + filter, cancellationToken);
        var aging = Api.GetAsync<AgingTrendView>(ApiPath("reports", "kpis/aging") + filter, cancellationToken);
        var dso = Api.GetAsync<DsoTrendView>(ApiPath("reports", "kpis/dso-trend") + filter, cancellationToken);
        var bridge = Api.GetAsync<BridgeView>(ApiPath("reports", "kpis/bridge") + filter, cancellationToken);
        var targets = Api.GetAsync<TargetsView>(ApiPath("reports", "targets"), cancellationToken);
        Process = await process;
        Cash = await cash;
        Revenue = await revenue;
        CycleTime = await cycle;
        Aging = await aging;
        Dso = await dso;
        Bridge = await bridge;
        Targets = await targets;
    }

    /// <summary>A chart's data as CSV, as reporting renders it for the same range and filters.</summary>
    public async Task<IActionResult> OnGetCsvAsync(string chart, CancellationToken cancellationToken)
    {
        if (!CsvEndpoints.TryGetValue(chart ?? "", out var endpoint))
            return NotFound();
        var filter = Filter();
        var csv = await Api.GetCsvAsync(ApiPath("reports", endpoint) + (filter.Length == 0 ? "?format=csv" : filter + "&format=csv"), cancellationToken);
        if (csv.Value is not { } text)
            return After(csv, "", new { Tenant, From, To, BusinessUnit, Region });
        return File(Encoding.UTF8.GetBytes(text), "text/csv; charset=utf-8", $"{Tenant}-{chart}.csv");
    }

    public string CsvLink(string chart) =>
        $"/app/{Tenant}?handler=Csv&chart={chart}" + Filter().Replace('?', '&');

    public string Filter() => Exceptions.IndexModel.Query(
        ("from", From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("to", To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        ("businessUnit", BusinessUnit), ("region", Region));
}
