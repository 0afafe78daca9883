using Microsoft.AspNetCore.Mvc;
using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.WebApp.Gateway;

namespace QuoteToCash.WebApp.Pages.Tenant.Targets;

/// <summary>
/// Finance's targets ("invoice cycle time from 3 days to 1", "duplicate customers down 80 % in 60 days"): baseline,
/// today and target side by side; a finance manager sets, changes and removes them.
/// </summary>
public sealed class IndexModel(GatewayClient api, TimeProvider time) : TenantPageModel(api)
{
    public ApiResult<TargetsView>? Targets { get; private set; }

    public ApiResult<List<KpiMetricView>>? Metrics { get; private set; }

    public DateOnly Today { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var targets = Api.GetAsync<TargetsView>(ApiPath("reports", "targets"), cancellationToken);
        var metrics = Api.GetAsync<List<KpiMetricView>>(ApiPath("reports", "targets/metrics"), cancellationToken);
        Targets = await targets;
        Metrics = await metrics;
    }

    /// <summary>Adds a target, or replaces the one on the same metric; the others stay as they are.</summary>
    public async Task<IActionResult> OnPostSetAsync(string metric, decimal baselineValue, DateOnly baselineDate, decimal targetValue, DateOnly targetBy,
        CancellationToken cancellationToken)
    {
        var current = await Api.GetAsync<TargetsView>(ApiPath("reports", "targets"), cancellationToken);
        if (current.Value is not { } view)
            return After(current, "");
        var list = view.Targets.Where(t => t.Metric != metric).Select(AsRequest).Append(new TargetRequest(metric, baselineValue, baselineDate, targetValue, targetBy)).ToList();
        var result = await Api.PutAsync<TargetsView>(ApiPath("reports", "targets"), new TargetsRequest(list), cancellationToken);
        return After(result, "Target saved; the dashboard shows it beside today's value.");
    }

    public async Task<IActionResult> OnPostRemoveAsync(string metric, CancellationToken cancellationToken)
    {
        var current = await Api.GetAsync<TargetsView>(ApiPath("reports", "targets"), cancellationToken);
        if (current.Value is not { } view)
            return After(current, "");
        var list = view.Targets.Where(t => t.Metric != metric).Select(AsRequest).ToList();
        return After(await Api.PutAsync<TargetsView>(ApiPath("reports", "targets"), new TargetsRequest(list), cancellationToken), "Target removed.");
    }

    private static TargetRequest AsRequest(TargetView t) => new(t.Metric, t.BaselineValue, t.BaselineDate, t.TargetValue, t.TargetBy);
}
