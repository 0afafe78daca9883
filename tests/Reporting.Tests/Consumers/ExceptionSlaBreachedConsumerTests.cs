using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Reporting.Domain;
using QuoteToCash.Reporting.Extensions;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.Reporting.Tests.Consumers;

/// <summary>The SLA-breach read model the CFO dashboard counts, on the test harness with reporting's own store.</summary>
public sealed class ExceptionSlaBreachedConsumerTests : IAsyncLifetime
{
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync() =>
        _harness = await ServiceHarness.StartAsync(x => x.AddReportingHandlers(), cancellationToken: TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task A_breach_is_kept_once_with_how_late_it_was_found()
    {
        var opened = ServiceHarness.DefaultStart;
        var breach = new ExceptionSlaBreached
        {
            TenantId = Tenant, ExceptionId = Guid.NewGuid(), Kind = "MappingMissing", FlowId = FlowOf("deal-9001"), DealRef = "hubspot:deal-9001",
            Owner = "maya", OpenedAt = opened, SlaDue = opened.AddHours(48), DetectedAt = opened.AddHours(48).AddMinutes(5),
        };

        await _harness.DeliverAsync(breach);
        await _harness.DeliverAsync(breach with { DetectedAt = opened.AddHours(60) }); // a second alert for the same exception

        var stored = await _harness.GetAsync<ExceptionSlaBreach>(ExceptionSlaBreach.CollectionName, breach.ExceptionId.ToString("D"));
        Assert.NotNull(stored);
        Assert.Equal(("MappingMissing", "hubspot:deal-9001", "maya", TimeSpan.FromMinutes(5)), (stored.Kind, stored.DealRef, stored.Owner, stored.Overdue));
        Assert.Equal(1, await _harness.Store.Collection<ExceptionSlaBreach>(ExceptionSlaBreach.CollectionName).CountAsync(cancellationToken: TestContext.Current.CancellationToken));
    }
}
