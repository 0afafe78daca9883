using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Reporting.Domain;
using QuoteToCash.Reporting.Extensions;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.Reporting.Tests.Consumers;

/// <summary>The connection incidents the CFO dashboard counts, on the test harness with reporting's own store.</summary>
public sealed class QuickBooksAuthorizationLostConsumerTests : IAsyncLifetime
{
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync() =>
        _harness = await ServiceHarness.StartAsync(x => x.AddReportingHandlers(), cancellationToken: TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task Each_loss_of_the_quickbooks_authorisation_is_kept_once_with_its_reason_and_time()
    {
        var first = new QuickBooksReauthorizationRequired
        {
            TenantId = Tenant, RealmId = "9130355555555555", Reason = "The refresh token was revoked (invalid_grant).", DetectedAt = ServiceHarness.DefaultStart,
        };

        await _harness.DeliverAsync(first);
        await _harness.DeliverAsync(first); // redelivered
        await _harness.DeliverAsync(first with { DetectedAt = ServiceHarness.DefaultStart.AddDays(9) }); // lost again after a reconnection

        var losses = await _harness.Store.Collection<QuickBooksAuthorizationLoss>(QuickBooksAuthorizationLoss.CollectionName)
            .FindAsync(l => l.TenantId == Tenant, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal([ServiceHarness.DefaultStart.UtcDateTime, ServiceHarness.DefaultStart.AddDays(9).UtcDateTime], losses.Select(l => l.Value.DetectedAt).Order());
        Assert.All(losses, l => Assert.Equal(("9130355555555555", "The refresh token was revoked (invalid_grant)."), (l.Value.RealmId, l.Value.Reason)));
    }
}
