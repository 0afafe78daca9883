using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.MasterData.Apis;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.MasterData.Extensions;
using QuoteToCash.MasterData.Infrastructure;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.MasterData.Tests.Peers;
using QuoteToCash.Testing.Harness;
using QuoteToCash.Testing.Scenarios;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.MasterData.Tests.Consumers;

/// <summary>
/// Master data's side of the customer in QuickBooks, with the test playing accounting-sync: what is asked of it, how
/// its answers (synced, refused, late, repeated) change the customer, and when the deals waiting for it continue.
/// </summary>
public sealed class AccountingSyncTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static Guid ContosoId => CustomerRules.CustomerIdFor(Tenant, Crm, "company-4711");
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync() =>
        _harness = await ServiceHarness.StartAsync(x => x.AddMasterDataHandlers(), s => s.AddMasterDataServices(), cancellationToken: Ct);

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private Task Resolve(string deal, Contracts.CustomerSnapshot customer) =>
        _harness.DeliverAsync(new ResolveCustomer { TenantId = Tenant, FlowId = FlowOf(deal), SourceSystem = Crm, Customer = customer });

    private Task<GoldenCustomer?> Customer(Guid id) => _harness.GetAsync<GoldenCustomer>(GoldenCustomer.CollectionName, id.ToString("D"));

    private static CustomerSynced Synced(int revision, string displayName = "Contoso Logistics Ltd", string? note = null) => new()
    {
        TenantId = Tenant, CustomerId = ContosoId, Revision = revision, AccountingCustomerRef = "58", DisplayName = displayName, Note = note,
        SyncedAt = ServiceHarness.DefaultStart,
    };

    [Fact]
    public async Task A_billable_customer_is_sent_to_quickbooks_and_its_deal_waits_for_it()
    {
        await Resolve("deal-9001", Contoso());

        var sync = Assert.Single(_harness.Published<SyncCustomer>());
        Assert.Equal((ContosoId, 1, "Contoso Logistics Ltd", "ap@contoso-logistics.test", true, null), (sync.CustomerId, sync.Revision, sync.DisplayName,
            sync.PrimaryEmail, sync.Taxable, sync.AccountingCustomerRef));
        Assert.Equal("Leeds", sync.BillingAddress!.City);
        Assert.Empty(_harness.Published<CustomerReady>());
        Assert.Empty(_harness.Published<CustomerNeedsReview>());
        Assert.Equal(AccountingSyncState.Pending, (await Customer(ContosoId))!.SyncState);
    }

    [Fact]
    public async Task Quickbooks_answer_releases_the_deal_once_with_the_quickbooks_reference()
    {
        await Resolve("deal-9001", Contoso());

        var messageId = await _harness.PublishAsync(Synced(1));
        await _harness.PublishAsync(Synced(1), messageId);
        await _harness.ConsumedAsync<CustomerSynced>(messageId, times: 2);
        await _harness.DeliverAsync(Synced(1));

        var ready = Assert.Single(_harness.Published<CustomerReady>());
        Assert.Equal((FlowOf("deal-9001"), "58"), (ready.FlowId, ready.AccountingCustomerRef));
        var customer = await Customer(ContosoId);
        Assert.Equal(("58", AccountingSyncState.Synced, 2), (customer!.AccountingReference(), customer.SyncState, customer.SyncedRevision));
        Assert.Single(_harness.Published<SyncCustomer>());
    }

    [Fact]
    public async Task A_deal_that_waits_for_a_customer_on_its_way_to_quickbooks_writes_the_record_back_so_the_arrival_cannot_miss_it()
    {
        await Resolve("deal-9001", Contoso());
        var customers = _harness.Store.Collection<GoldenCustomer>(GoldenCustomer.CollectionName);
        var before = await customers.GetAsync(ContosoId.ToString("D"), Ct);

        // A second deal of the same customer, with nothing new from the CRM, while QuickBooks has not answered: it waits.
        // Its commit writes the unchanged record back at the version it read, so QuickBooks' answer arriving at the same
        // moment (which releases the deals it finds waiting) conflicts with it, and one of the two is retried and sees
        // the other, instead of the answer missing a deal registered a moment later.
        await Resolve("deal-9002", Contoso());
        var after = await customers.GetAsync(ContosoId.ToString("D"), Ct);
        Assert.Equal(before!.Version + 1, after!.Version);
        Assert.Equal(before.Value.Revision, after.Value.Revision);
        Assert.Empty(_harness.Published<CustomerReady>());

        await _harness.DeliverAsync(Synced(1));
        Assert.Equal(new[] { FlowOf("deal-9001"), FlowOf("deal-9002") }.Order(), _harness.Published<CustomerReady>().Select(r => r.FlowId).Order());
    }

    [Fact]
    public async Task A_display_name_quickbooks_made_unique_is_recorded_and_not_sent_back()
    {
        await Resolve("deal-9001", Contoso());

        await _harness.DeliverAsync(Synced(1, "Contoso Logistics Ltd (Q2C 6a0f)", "the name is used by an inactive QuickBooks customer"));

        var customer = await Customer(ContosoId);
        Assert.Equal("Contoso Logistics Ltd (Q2C 6a0f)", customer!.DisplayName);
        Assert.Single(_harness.Published<SyncCustomer>());
        var history = await _harness.Store.Collection<CustomerHistoryEntry>(CustomerHistoryEntry.CollectionName).FindAsync(h => h.CustomerId == ContosoId, cancellationToken: Ct);
        Assert.Contains(history, h => h.Value.Change is { Field: FieldNames.DisplayName, Source: "quickbooks", Reason: "the name is used by an inactive QuickBooks customer" });
    }

    [Fact]
    public async Task A_late_answer_for_an_older_revision_does_not_undo_a_newer_one()
    {
        await Resolve("deal-9001", Contoso());
        await _harness.DeliverAsync(Synced(1));
        await Resolve("deal-9002", Contoso() with { Domain = "contoso.test" });
        var second = _harness.Published<SyncCustomer>().Last();
        Assert.Equal(("58", 3), (second.AccountingCustomerRef, second.Revision));
        await _harness.DeliverAsync(Synced(3) with { DisplayName = "Contoso Logistics Ltd" });

        await _harness.DeliverAsync(Synced(1) with { AccountingCustomerRef = "999" });

        var customer = await Customer(ContosoId);
        Assert.Equal(("58", 3, AccountingSyncState.Synced), (customer!.AccountingReference(), customer.SyncedRevision, customer.SyncState));
    }

    [Fact]
    public async Task A_refusal_holds_the_deal_with_the_reason_and_accepting_the_review_item_tries_again()
    {
        await Resolve("deal-9001", Contoso());

        await _harness.DeliverAsync(new CustomerSyncFailed
        {
            TenantId = Tenant, CustomerId = ContosoId, Revision = 1, Kind = "Validation", Code = "6000",
            Reason = "the email address ap@contoso-logistics.test was refused", FailedAt = ServiceHarness.DefaultStart,
        });

        var review = Assert.Single(_harness.Published<CustomerNeedsReview>());
        Assert.Equal("QuickBooks refused the customer: the email address ap@contoso-logistics.test was refused", Assert.Single(review.Reasons));
        var itemId = ReviewItem.KeyFor(ReviewKind.AccountingSyncFailed, ContosoId);
        Assert.Equal(ReviewStatus.Open, (await _harness.GetAsync<ReviewItem>(ReviewItem.CollectionName, itemId))!.Status);
        Assert.Equal(AccountingSyncState.Failed, (await Customer(ContosoId))!.SyncState);

        await using (var scope = _harness.Services.CreateAsyncScope())
        {
            var user = Operators.User("maria", Roles.FinanceManager);
            await ReviewApi.ResolveItem(Tenant, itemId, new ResolveReviewRequest("accept", "address fixed in QuickBooks"), user, _harness.Store,
                scope.ServiceProvider.GetRequiredService<CustomerBook>(), scope.ServiceProvider.GetRequiredService<IUnitOfWork>(), Ct);
        }

        Assert.Equal(2, _harness.Published<SyncCustomer>().Count);
        await _harness.DeliverAsync(Synced(1));
        Assert.Equal(FlowOf("deal-9001"), Assert.Single(_harness.Published<CustomerReady>()).FlowId);
    }

    [Fact]
    public async Task A_tenant_that_does_not_sync_to_accounting_bills_approved_customers_at_once()
    {
        var policy = MasterDataPolicy.Default(Tenant);
        policy.SyncToAccounting = false;
        await _harness.Store.CommitAsync([DocumentWrite.Upsert(MasterDataPolicy.CollectionName, Tenant, policy)], Ct);

        await Resolve("deal-9001", Contoso());

        Assert.Null(Assert.Single(_harness.Published<CustomerReady>()).AccountingCustomerRef);
        Assert.Empty(_harness.Published<SyncCustomer>());
    }

    [Fact]
    public async Task Merging_a_duplicate_that_is_in_quickbooks_makes_it_inactive_there()
    {
        await Resolve("deal-9001", Contoso());
        await _harness.DeliverAsync(Synced(1));
        var duplicateId = CustomerRules.CustomerIdFor(Tenant, Crm, "company-8080");
        await Resolve("deal-9002", Contoso("company-8080") with { LegalName = "Contoso Logistics Limited", TaxId = "GB 999 9999 99" });
        await using (var scope = _harness.Services.CreateAsyncScope())
        {
            var user = Operators.User("maria", Roles.FinanceManager);
            await CustomersApi.ApproveCustomer(Tenant, duplicateId, new ApproveRequest("a customer of its own, for now"), user,
                scope.ServiceProvider.GetRequiredService<CustomerBook>(), scope.ServiceProvider.GetRequiredService<IUnitOfWork>(), Ct);
        }
        var duplicateSync = _harness.Published<SyncCustomer>().Single(m => m.CustomerId == duplicateId);
        await _harness.DeliverAsync(new CustomerSynced
        {
            TenantId = Tenant, CustomerId = duplicateId, Revision = duplicateSync.Revision, AccountingCustomerRef = "77", DisplayName = duplicateSync.DisplayName,
            SyncedAt = ServiceHarness.DefaultStart,
        });

        await using (var scope = _harness.Services.CreateAsyncScope())
        {
            var user = Operators.User("maria", Roles.FinanceManager);
            await CustomersApi.MergeCustomer(Tenant, duplicateId, new MergeRequest(ContosoId, "same company after all"), user,
                scope.ServiceProvider.GetRequiredService<CustomerBook>(), scope.ServiceProvider.GetRequiredService<IUnitOfWork>(), Ct);
        }

        var inactive = Assert.Single(_harness.Published<SyncCustomer>(), m => m.MakeInactive);
        Assert.Equal((duplicateId, "77"), (inactive.CustomerId, inactive.AccountingCustomerRef));
        Assert.Equal(CustomerStatus.Merged, (await Customer(duplicateId))!.Status);
    }
}
