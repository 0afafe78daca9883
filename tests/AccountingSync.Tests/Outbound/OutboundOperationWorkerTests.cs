using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Infrastructure.Outbound;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.AccountingSync.Tests.Consumers;
using QuoteToCash.AccountingSync.Tests.Exceptions;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.Testing;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.AccountingSync.Tests.Outbound;

/// <summary>
/// The outbound worker on the test harness with the real QuickBooks client against the sandbox process: master data
/// sends two customers while QuickBooks answers every request with 503. The first waits in the realm's queue with a
/// backoff, the second waits behind it, finance hears of it after the patience, and once QuickBooks answers again both
/// go, in order, and the exception resolves by itself.
/// </summary>
[Collection(nameof(QuickBooksSandboxProcessCollection))]
public sealed class OutboundOperationWorkerTests(QuickBooksSandboxProcess sandbox) : IAsyncLifetime
{
    private QuickBooksCompanyHarness _company = null!;
    private ExceptionQueue _queue = null!;

    public async ValueTask InitializeAsync()
    {
        _company = await QuickBooksCompanyHarness.StartAsync(sandbox, new Dictionary<string, string?>
        {
            ["QuickBooks:Posting:UnansweredPatience"] = "2",
            ["QuickBooks:Posting:UnansweredBackoff"] = "00:00:30",
        });
        await _company.ConnectAsync(Tenant);
        _queue = new ExceptionQueue(_company.Harness);
    }

    public async ValueTask DisposeAsync()
    {
        await sandbox.Sandbox.DeleteAsync("/_sandbox/faults", CancellationToken.None);
        await _company.DisposeAsync();
    }

    private static SyncCustomer Customer(string name) => new()
    {
        TenantId = Tenant,
        CustomerId = DeterministicId.Create("customer", name),
        Revision = 1,
        DisplayName = name,
        CompanyName = name,
        PrimaryEmail = "ap@" + name.Split(' ')[0].ToLowerInvariant() + ".test",
    };

    private async Task<OutboundEntry?> EntryAsync(SyncCustomer command) =>
        (await _company.Harness.Store.Collection<OutboundEntry>(OutboundEntry.CollectionName).FindAsync(e => e.TenantId == Tenant,
            cancellationToken: TestContext.Current.CancellationToken)).Select(e => e.Value).SingleOrDefault(e => e.Subject == $"customer:{command.CustomerId:N}:1");

    [Fact]
    public async Task An_unanswered_operation_waits_with_a_backoff_what_follows_waits_behind_it_and_both_go_in_order_once_QuickBooks_answers()
    {
        await sandbox.PostAsync("/_sandbox/faults", new { realmId = _company.RealmId, errorRate = 1.0, errorStatus = 503 });
        var contoso = Customer("Contoso Logistics Ltd");
        var fabrikam = Customer("Fabrikam Consulting");

        await _company.Harness.DeliverAsync(contoso);
        await _company.Harness.DeliverAsync(fabrikam);

        // The first unanswered attempt goes again at once; the second waits out the backoff on the (standing) clock.
        Assert.True(await Polling.Eventually(async () => (await EntryAsync(contoso))?.UnansweredPasses == 2, TimeSpan.FromSeconds(30)),
            "the customer was not tried twice");
        var waiting = (await EntryAsync(contoso))!;
        Assert.Equal((OutboundState.Queued, _company.Harness.Time.GetUtcNow().UtcDateTime.AddSeconds(30)), (waiting.State, waiting.NotBefore));
        Assert.Contains("QuickBooks did not answer (2 attempts so far", waiting.Explanation);
        Assert.Equal(0, (await EntryAsync(fabrikam))!.UnansweredPasses); // never overtakes the one before it
        var raised = await _queue.SingleAsync(SyncExceptionKind.QboUnavailable);
        Assert.Equal(("Customer", contoso.CustomerId.ToString("D"), nameof(SyncCustomer)), (raised.Entity, raised.EntityId, raised.Operation));
        Assert.Contains("Nothing needs fixing", raised.SuggestedFix);
        Assert.Empty(_company.Harness.Published<CustomerSynced>());
        Assert.Empty(_company.Harness.Published<CustomerSyncFailed>());
        Assert.Empty(await _company.EntitiesAsync("customer"));

        await sandbox.Sandbox.DeleteAsync("/_sandbox/faults", TestContext.Current.CancellationToken);
        _company.Harness.Time.Advance(TimeSpan.FromSeconds(31));

        var first = await _company.PublishedAsync<CustomerSynced>(m => m.CustomerId == contoso.CustomerId);
        var second = await _company.PublishedAsync<CustomerSynced>(m => m.CustomerId == fabrikam.CustomerId);
        Assert.True(int.Parse(first.AccountingCustomerRef, System.Globalization.CultureInfo.InvariantCulture)
                    < int.Parse(second.AccountingCustomerRef, System.Globalization.CultureInfo.InvariantCulture), "the customers went out of order");
        Assert.Equal(2, (await _company.EntitiesAsync("customer")).Count);
        await _company.OutboundDrainedAsync();
        Assert.Null(await EntryAsync(contoso));
        Assert.True(await Polling.Eventually(async () => (await _queue.GetAsync(raised.ExceptionId)).Status == SyncExceptionStatus.Resolved, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_command_queued_twice_before_it_runs_is_sent_once_and_answered_once()
    {
        await sandbox.PostAsync("/_sandbox/faults", new { realmId = _company.RealmId, errorRate = 1.0, errorStatus = 503 });
        var contoso = Customer("Contoso Logistics Ltd");
        await _company.Harness.DeliverAsync(contoso);
        Assert.True(await Polling.Eventually(async () => (await EntryAsync(contoso))?.UnansweredPasses == 2, TimeSpan.FromSeconds(30)));

        await _company.Harness.DeliverAsync(contoso); // master data asking again while it waits: the same entry, due now
        await sandbox.Sandbox.DeleteAsync("/_sandbox/faults", TestContext.Current.CancellationToken);

        await _company.PublishedAsync<CustomerSynced>(m => m.CustomerId == contoso.CustomerId);
        await _company.OutboundDrainedAsync();
        Assert.Single(_company.Harness.Published<CustomerSynced>());
        Assert.Single(await _company.EntitiesAsync("customer"));
    }
}
