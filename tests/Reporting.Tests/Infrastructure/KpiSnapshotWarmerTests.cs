using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using QuoteToCash.Reporting.Apis;
using QuoteToCash.Reporting.Consumers;
using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.Reporting.Extensions;
using QuoteToCash.Reporting.Infrastructure;
using QuoteToCash.Reporting.Tests.Kpis;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Reporting.Tests.Kpis.Events;

namespace QuoteToCash.Reporting.Tests.Infrastructure;

/// <summary>The KPI snapshots are loaded at start, so a tenant's first dashboard request is answered from memory.</summary>
public sealed class KpiSnapshotWarmerTests : IAsyncLifetime
{
    private ServiceHarness _harness = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _harness = await ServiceHarness.StartAsync(x => x.AddConsumer<ReadModelConsumer>(), s => s.AddReportingReadModels(), start: At(2026, 3, 31, 12),
            cancellationToken: Ct);
        await _harness.DeliverAsync(Won("A", 10_000m, At(2026, 3, 2)));
        await _harness.DeliverAsync(Posted("A", 10_000m, new DateOnly(2026, 3, 3), new DateOnly(2026, 4, 2)));
        await _harness.DeliverAsync(Won("B", 4_000m, At(2026, 3, 10)) with { TenantId = "other-firm" });
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private KpiSnapshots Snapshots => _harness.Services.GetRequiredService<KpiSnapshots>();

    [Fact]
    public async Task Every_tenant_s_snapshot_is_loaded_after_start_and_the_first_request_uses_it()
    {
        Assert.Null(Snapshots.Cached(Tenant));
        var warmer = new KpiSnapshotWarmer(Snapshots, _harness.Services.GetRequiredService<IHostApplicationLifetime>(), _harness.Time,
            NullLogger<KpiSnapshotWarmer>.Instance);

        await warmer.StartAsync(Ct);
        var loaded = await warmer.Warmed.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await warmer.StopAsync(Ct);

        Assert.Equal(["kpi-firm", "other-firm"], loaded);
        var warmed = Snapshots.Cached(Tenant);
        Assert.NotNull(warmed);
        Assert.Equal([10_000m], warmed.Invoices.Select(i => i.Total));

        // The first request: answered from the copy loaded at start (the same object), not from a fresh read of the store.
        var answer = await ApiCall.RunAsync(_harness.Services, r => KpiApi.Answer(Tenant, new KpiApi.KpiFilter("2026-03-01", "2026-03-31", null, null, null), r, Snapshots,
            _harness.Time, c => c.Cash(), null, Ct));
        Assert.Equal(200, answer.Status);
        Assert.Same(warmed, Snapshots.Cached(Tenant));
        Assert.Equal(10_000m, answer.As<CashKpisView>().Dso.ReceivablesAtEnd);
    }

    [Fact]
    public async Task The_warm_up_is_a_hosted_service_of_the_reporting_host()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(_harness.Time);
        builder.Services.AddSingleton(_harness.Store);
        builder.Services.AddReportingReadModels();
        builder.Services.AddKpiSnapshotWarmUp();
        builder.Services.AddLogging();
        using var host = builder.Build();

        await host.StartAsync(Ct);
        var loaded = await host.Services.GetRequiredService<KpiSnapshotWarmer>().Warmed.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await host.StopAsync(Ct);

        Assert.Contains(Tenant, loaded);
        Assert.NotNull(host.Services.GetRequiredService<KpiSnapshots>().Cached(Tenant));
    }
}
