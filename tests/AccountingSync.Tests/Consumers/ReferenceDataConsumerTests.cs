using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Infrastructure.ReferenceData;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.AccountingSync.Tests.Consumers;

/// <summary>Reading QuickBooks' reference lists into AccountingReferenceDataChanged, on the harness against a sandbox company.</summary>
[Collection(nameof(QuickBooksSandboxProcessCollection))]
public sealed class ReferenceDataConsumerTests(QuickBooksSandboxProcess sandbox) : IAsyncLifetime
{
    private QuickBooksCompanyHarness _company = null!;

    public async ValueTask InitializeAsync()
    {
        _company = await QuickBooksCompanyHarness.StartAsync(sandbox, new Dictionary<string, string?> { ["QuickBooks:ReferenceData:ChangeDebounce"] = "00:00:05" });
        await _company.ConnectAsync(Tenant);
    }

    public ValueTask DisposeAsync() => _company.DisposeAsync();

    private JobSchedulerService Scheduler => _company.Harness.Services.GetServices<IHostedService>().OfType<JobSchedulerService>().Single();

    private static QuickBooksEntityChanged Changed(string entity, string id) => new()
    {
        TenantId = Tenant, RealmId = "ignored", Entity = entity, EntityId = id, Operation = "Update", Source = "webhook",
    };

    [Fact]
    public async Task The_companys_lists_are_published_with_inactive_entries_marked()
    {
        var design = await _company.CreateInQuickBooksAsync(Tenant, new QboClass { Name = "Advisory" });
        var leeds = await _company.CreateInQuickBooksAsync(Tenant, new QboDepartment { Name = "Leeds" });
        var retired = await _company.CreateInQuickBooksAsync(Tenant, new QboTerm { Name = "Net 45 (retired)", DueDays = 45 });
        using (var scope = _company.Harness.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<QboClient>().SparseUpdateAsync(Tenant, retired.Id!, _ => new QboTerm { Active = false },
                Guid.NewGuid().ToString("N"), retired.SyncToken, TestContext.Current.CancellationToken);

        await _company.Harness.DeliverAsync(new RefreshReferenceData { TenantId = Tenant });

        var lists = await _company.PublishedAsync<AccountingReferenceDataChanged>(m => m.TenantId == Tenant);
        Assert.Equal(_company.RealmId, lists.RealmId);
        Assert.Equal(9, lists.Items.Count);
        Assert.Contains(lists.Items, i => i.Name == "Senior Consulting" && i.Active);
        Assert.Equal(["Billable Expense Income", "Consulting Income", "Discounts given", "Services", "Support and Maintenance Income", "Training Income"],
            lists.IncomeAccounts.Select(a => a.Name).Order());
        Assert.Equal(new[] { "NON", "TAX" }, lists.TaxCodes.Select(t => t.Id).Where(id => id is "TAX" or "NON").Order());
        Assert.Contains(lists.Terms, t => t.Name == "Net 30" && t.Active);
        Assert.Contains(lists.Terms, t => t.Id == retired.Id && !t.Active);
        Assert.Equal((design.Id, "Advisory"), (Assert.Single(lists.Classes).Id, lists.Classes[0].Name));
        Assert.Equal((leeds.Id, "Leeds"), (Assert.Single(lists.Departments).Id, lists.Departments[0].Name));
        Assert.Equal(["USD"], lists.Currencies);
        Assert.Equal(_company.Harness.Time.GetUtcNow(), lists.AsOf);
    }

    [Fact]
    public async Task A_burst_of_item_changes_leads_to_one_refresh_after_the_debounce()
    {
        foreach (var id in new[] { "3", "4", "5" })
            await _company.Harness.DeliverAsync(Changed("Item", id));
        await _company.Harness.DeliverAsync(Changed("Customer", "1"));

        Assert.Equal(0, await Scheduler.FireDueJobsAsync(TestContext.Current.CancellationToken));
        Assert.Empty(_company.Harness.Published<AccountingReferenceDataChanged>());

        _company.Harness.Time.Advance(TimeSpan.FromSeconds(5));
        await Scheduler.FireDueJobsAsync(TestContext.Current.CancellationToken); // the service's own scheduler loop may fire it first
        var lists = await _company.PublishedAsync<AccountingReferenceDataChanged>(m => m.TenantId == Tenant);
        Assert.Equal(9, lists.Items.Count);

        _company.Harness.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await Scheduler.FireDueJobsAsync(TestContext.Current.CancellationToken)); // nothing left to fire
        Assert.Single(_company.Harness.Published<AccountingReferenceDataChanged>());
    }

    [Fact]
    public async Task Changes_to_entities_that_are_not_reference_lists_schedule_nothing()
    {
        await _company.Harness.DeliverAsync(Changed("Invoice", "1001"));
        await _company.Harness.DeliverAsync(Changed("Customer", "1"));

        Assert.Null(await _company.Harness.GetAsync<ScheduledJob>(ScheduledJob.CollectionName, ReferenceDataOptions.ChangeJobId(Tenant)));
    }

    [Fact]
    public async Task A_change_that_is_not_a_list_leaves_no_inbox_record_of_the_list_consumer_and_a_list_change_does()
    {
        var invoiceChange = await _company.Harness.DeliverAsync(Changed("Invoice", "1002"));
        var itemChange = await _company.Harness.DeliverAsync(Changed("Item", "6"));
        await _company.Harness.SettleAsync();

        var kept = (await _company.Harness.Store.Collection<InboxRecord>(InboxRecord.CollectionName)
                .FindAsync(i => i.MessageId == invoiceChange || i.MessageId == itemChange, cancellationToken: TestContext.Current.CancellationToken))
            .Where(i => i.Value.ConsumerType.Contains(nameof(QuoteToCash.AccountingSync.Consumers.ReferenceListChangedConsumer), StringComparison.Ordinal))
            .Select(i => i.Value.MessageId).ToList();
        Assert.Equal([itemChange], kept);
    }

    [Fact]
    public async Task A_tenant_without_a_connection_publishes_no_lists()
    {
        await _company.Harness.DeliverAsync(new RefreshReferenceData { TenantId = "northwind" });

        Assert.Empty(_company.Harness.Published<AccountingReferenceDataChanged>());
    }
}
