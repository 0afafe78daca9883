using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.Reporting.Consumers;
using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.Reporting.Extensions;
using QuoteToCash.Reporting.Infrastructure;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Reporting.Tests.Kpis.Events;

namespace QuoteToCash.Reporting.Tests.Kpis;

/// <summary>
/// The KPIs built from the events' own times under a service clock moved half a year behind the machine's, as
/// <c>./run.sh --demo</c> runs every service: the transport stamps each message with the machine's time, the producers date
/// what happened with theirs. Approval decisions (rejections too), merges and the exception queue's records are counted.
/// </summary>
public sealed class EventTimeKpiTests : IAsyncLifetime
{
    // The services' clock: 182 days behind the machine's, whatever day the tests run on.
    private static readonly DateTimeOffset ServiceNow = new(TimeProvider.System.GetUtcNow().AddDays(-182).UtcDateTime.Date.AddHours(9), TimeSpan.Zero);
    private static DateOnly Today => DateOnly.FromDateTime(ServiceNow.UtcDateTime);
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync() =>
        _harness = await ServiceHarness.StartAsync(x => x.AddConsumer<ReadModelConsumer>(), s => s.AddReportingReadModels(), start: ServiceNow,
            cancellationToken: TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private async Task<KpiCalculator> KpisAsync()
    {
        var data = await _harness.Services.GetRequiredService<KpiSnapshots>().ForTenantAsync(Tenant, TestContext.Current.CancellationToken);
        return new KpiCalculator(data, new KpiQuery(Today.AddDays(-30), Today.AddDays(30), null, null, ServiceNow));
    }

    [Fact]
    public async Task Approval_turnaround_runs_from_billing_s_draft_to_billing_s_decision_on_the_service_clock_not_the_machine_s()
    {
        var drafted = ServiceNow;
        // Approved six hours after the draft, posted by accounting-sync a minute later; rejected a day and a half after its draft.
        await _harness.DeliverAsync(Drafted("A", 10_000m, Today, Today.AddDays(30), approval: true, draftedAt: drafted));
        await _harness.DeliverAsync(Decided("A", approved: true, drafted, drafted.AddHours(6)));
        await _harness.DeliverAsync(Posted("A", 10_000m, Today, Today.AddDays(30), drafted.AddHours(6).AddMinutes(1)));
        await _harness.DeliverAsync(Drafted("B", 2_000m, Today, Today.AddDays(30), approval: true, draftedAt: drafted.AddHours(1)));
        await _harness.DeliverAsync(Decided("B", approved: false, drafted.AddHours(1), drafted.AddHours(37), by: "olga"));

        var approvals = (await KpisAsync()).ApprovalTurnaround();

        // 6 h = 0.25 days; 36 h = 1.50 days. Nearest rank of two: p50 0.25, p90 1.50; mean 0.875 → 0.88.
        Assert.Equal(new ApprovalTurnaroundView(2, 2, 0, new DurationPercentilesView(2, 0.25m, 1.50m, 0.88m), 1, 1), approvals);
    }

    [Fact]
    public async Task Without_a_recorded_decision_the_posting_decides_and_the_turnaround_is_still_on_the_service_clock()
    {
        // An invoice approved before billing recorded decisions: only its draft and its posting say when.
        await _harness.DeliverAsync(Drafted("A", 10_000m, Today, Today.AddDays(30), approval: true, draftedAt: ServiceNow));
        await _harness.DeliverAsync(Posted("A", 10_000m, Today, Today.AddDays(30), ServiceNow.AddHours(12)));

        var approvals = (await KpisAsync()).ApprovalTurnaround();

        Assert.Equal(new ApprovalTurnaroundView(1, 1, 0, new DurationPercentilesView(1, 0.50m, 0.50m, 0.50m), 0, 0), approvals);
    }

    [Fact]
    public async Task Merges_count_on_the_day_master_data_made_them()
    {
        await _harness.DeliverAsync(new CustomersMerged
        {
            TenantId = Tenant, SurvivorId = CustomerOf("Contoso"), MergedId = CustomerOf("Contoso Ltd"), MergedAt = ServiceNow.AddDays(-3), MergedBy = "maria",
        });

        Assert.Equal(1, (await KpisAsync()).DuplicateCustomers().Merged);
    }

    [Fact]
    public async Task A_manual_edit_conflict_left_open_in_the_queue_counts_as_open_and_a_closed_one_does_not()
    {
        SyncExceptionOpened Opened(string kind, DateTimeOffset at) => new()
        {
            TenantId = Tenant, ExceptionId = Guid.NewGuid(), Kind = kind, RootCause = "ManualChangeInQuickBooks", Entity = "Invoice", EntityId = InvoiceOf("A").ToString("D"),
            Operation = "Inbound", FlowId = Flow("A"), OpenedAt = at, SlaDue = at.AddDays(2),
        };
        var conflict = Opened("ManualEditConflict", ServiceNow.AddDays(-10));
        var refused = Opened("Validation", ServiceNow.AddDays(-5));
        await _harness.DeliverAsync(conflict);
        await _harness.DeliverAsync(refused);
        await _harness.DeliverAsync(new SyncExceptionClosed
        {
            TenantId = Tenant, ExceptionId = refused.ExceptionId, Kind = refused.Kind, RootCause = refused.RootCause, Entity = refused.Entity, EntityId = refused.EntityId,
            Operation = refused.Operation, FlowId = refused.FlowId, OpenedAt = refused.OpenedAt, SlaDue = refused.SlaDue, Status = SyncExceptionClosed.Resolved,
            ClosedAt = ServiceNow.AddDays(-4), ClosedBy = "platform", ResolvedAutomatically = true,
        });

        var exceptions = (await KpisAsync()).SyncExceptions();

        // Open at the range's end (today + 30): the conflict, 40 days old and past its SLA; the refusal took one day to resolve.
        Assert.Equal((1, 1), (exceptions.OpenAtEnd, exceptions.OpenPastSla));
        Assert.Equal([new CountBucketView("ManualEditConflict", 1)], exceptions.OpenByKind);
        Assert.Equal(new DurationPercentilesView(1, 1.00m, 1.00m, 1.00m), exceptions.TimeToResolve);
    }
}
