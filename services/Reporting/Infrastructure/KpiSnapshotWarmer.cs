using QuoteToCash.Reporting.Domain.Kpis;

namespace QuoteToCash.Reporting.Infrastructure;

/// <summary>
/// Loads every tenant's KPI snapshot once the service has started, in the background, so readiness is not delayed and the
/// first dashboard request finds the copy in memory instead of reading the read models. It also answers the dashboard's
/// questions once per tenant (default range, no filters), so the day-by-day ledger is built and the calculations are
/// compiled before anyone asks. A failure is logged; requests then load the copy themselves, as without the warm-up.
/// </summary>
public sealed class KpiSnapshotWarmer(KpiSnapshots snapshots, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<KpiSnapshotWarmer> logger)
    : BackgroundService
{
    private readonly TaskCompletionSource<IReadOnlyList<string>> _warmed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the tenants loaded once the warm-up is over (with none when it failed or was stopped).</summary>
    public Task<IReadOnlyList<string>> Warmed => _warmed.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Started, not starting: the warm-up never holds up the host's start or its first readiness answer.
            await WhenStartedAsync(stoppingToken);
            var tenants = await snapshots.WarmAsync(stoppingToken);
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            foreach (var tenant in tenants)
            {
                if (snapshots.Cached(tenant) is not { } data)
                    continue;
                var calculator = new KpiCalculator(data, new KpiQuery(today.AddMonths(-12).AddDays(1), today, null, null, time.GetUtcNow()));
                _ = (calculator.Process(), calculator.Cash(), calculator.Revenue(), calculator.AgingTrend(), calculator.DsoTrend(), calculator.CycleTimeTrend(),
                    calculator.Bridge());
            }
            logger.LogInformation("KPI snapshots loaded at start for {Count} tenant(s)", tenants.Count);
            _warmed.TrySetResult(tenants);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _warmed.TrySetResult([]);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Loading the KPI snapshots at start failed; each tenant's first request loads its own");
            _warmed.TrySetResult([]);
        }
    }

    private async Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        await started.Task;
    }
}
