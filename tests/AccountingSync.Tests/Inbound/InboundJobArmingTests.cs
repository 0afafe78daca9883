using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using QuoteToCash.AccountingSync.Infrastructure.Inbound;
using QuoteToCash.AccountingSync.Infrastructure.Reconciliation;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.AccountingSync.Tests.Consumers;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.AccountingSync.Tests.Inbound;

/// <summary>The firm's connected company gets its start-up sweep, its recurring sweep and its daily reconciliation; a disconnected one nothing.</summary>
[Collection(nameof(QuickBooksSandboxProcessCollection))]
public sealed class InboundJobArmingTests(QuickBooksSandboxProcess sandbox) : IAsyncLifetime
{
    private QuickBooksCompanyHarness _company = null!;

    public async ValueTask InitializeAsync()
    {
        _company = await QuickBooksCompanyHarness.StartAsync(sandbox);
        await _company.ConnectAsync(Tenant);
    }

    public ValueTask DisposeAsync() => _company.DisposeAsync();

    private InboundJobArming Arming() => new(_company.Harness.Store, _company.Harness.Services.GetRequiredService<OutboxDelivery>(),
        Options.Create(new InboundOptions()), Options.Create(new ReconciliationOptions { DailyAt = TimeSpan.FromHours(3) }), _company.Harness.Time,
        NullLogger<InboundJobArming>.Instance);

    private Task<ScheduledJob?> JobAsync(string id) => _company.Harness.GetAsync<ScheduledJob>(ScheduledJob.CollectionName, id);

    [Fact]
    public async Task A_connected_tenant_gets_a_sweep_now_one_every_interval_and_a_daily_reconciliation_at_three()
    {
        var now = _company.Harness.Time.GetUtcNow();

        await Arming().ArmAsync(startUp: true, TestContext.Current.CancellationToken);

        var startUp = await JobAsync(InboundOptions.StartUpSweepJobId(Tenant));
        var recurring = await JobAsync(InboundOptions.SweepJobId(Tenant));
        var daily = await JobAsync(ReconciliationOptions.DailyJobId(Tenant));
        Assert.Equal((now.UtcDateTime, (TimeSpan?)null), (startUp!.DueAt, startUp.RepeatEvery));
        Assert.Contains("\"startUp\":true", startUp.Body);
        Assert.Equal((now.UtcDateTime + TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15)), (recurring!.DueAt, recurring.RepeatEvery));
        Assert.Equal((new DateTime(2026, 3, 3, 3, 0, 0, DateTimeKind.Utc), TimeSpan.FromDays(1)), (daily!.DueAt, daily.RepeatEvery));
        Assert.Contains(nameof(ReconcileInvoices), daily.MessageType);
    }

    [Fact]
    public async Task Later_passes_leave_armed_jobs_as_they_are_and_a_disconnected_tenant_gets_none()
    {
        await Arming().ArmAsync(startUp: true, TestContext.Current.CancellationToken);
        var recurring = await JobAsync(InboundOptions.SweepJobId(Tenant));
        _company.Harness.Time.Advance(TimeSpan.FromMinutes(5));

        await Arming().ArmAsync(startUp: false, TestContext.Current.CancellationToken);

        Assert.Equal(recurring!.DueAt, (await JobAsync(InboundOptions.SweepJobId(Tenant)))!.DueAt);

        await _company.Harness.Store.CommitAsync([DocumentWrite.Delete(QuoteToCash.AccountingSync.Infrastructure.QuickBooks.QboConnection.CollectionName, Tenant)], TestContext.Current.CancellationToken);
        await _company.Harness.Store.CommitAsync([DocumentWrite.Delete(ScheduledJob.CollectionName, InboundOptions.SweepJobId(Tenant))], TestContext.Current.CancellationToken);
        await Arming().ArmAsync(startUp: true, TestContext.Current.CancellationToken);
        Assert.Null(await JobAsync(InboundOptions.SweepJobId(Tenant)));
    }
}
