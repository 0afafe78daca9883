using QuoteToCash.Contracts.MasterData;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.MasterData.Extensions;
using QuoteToCash.ServiceDefaults;
using QuoteToCash.MasterData.Tests.Peers;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.MasterData.Tests.Consumers;

/// <summary>ResolveCustomer on MassTransit's test harness, with master-data's own store and inbox/outbox.</summary>
public sealed class ResolveCustomerConsumerTests : IAsyncLifetime
{
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync() =>
        _harness = await MasterDataWithQuickBooks.StartAsync();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private Task Deliver<T>(T message) where T : class => _harness.DeliverAndSettleAsync(message);

    private static ResolveCustomer Resolve(string externalDealId = "deal-9001", Contracts.CustomerSnapshot? customer = null) => new()
    {
        TenantId = Tenant,
        FlowId = FlowOf(externalDealId),
        SourceSystem = Crm,
        Customer = customer ?? Contoso(),
    };

    private static Guid ContosoId => CustomerRules.CustomerIdFor(Tenant, Crm, "company-4711");

    private Task<GoldenCustomer?> Customer() => _harness.GetAsync<GoldenCustomer>(GoldenCustomer.CollectionName, ContosoId.ToString("D"));

    [Fact]
    public async Task A_complete_customer_is_created_approved_and_the_flow_is_told_it_is_ready()
    {
        await Deliver(Resolve());

        var customer = await Customer();
        Assert.NotNull(customer);
        // Revision 1 from the CRM, revision 2 when QuickBooks' ID was linked.
        Assert.Equal((CustomerStatus.Approved, "Contoso Logistics Ltd", 2), (customer.Status, customer.LegalName, customer.Revision));
        Assert.Equal((QuickBooksPeer.RefOf(ContosoId), AccountingSyncState.Synced), (customer.AccountingReference(), customer.SyncState));
        Assert.Equal(ServiceHarness.DefaultStart.UtcDateTime, customer.Created);
        var ready = Assert.Single(_harness.Published<CustomerReady>());
        Assert.Equal((FlowOf("deal-9001"), ContosoId, "Contoso Logistics Ltd"), (ready.FlowId, ready.CustomerId, ready.DisplayName));
        Assert.Equal(QuickBooksPeer.RefOf(ContosoId), ready.AccountingCustomerRef);
        Assert.Empty(_harness.Published<CustomerNeedsReview>());
    }

    [Fact]
    public async Task An_incomplete_customer_is_kept_as_a_draft_and_the_flow_is_told_what_is_missing()
    {
        await Deliver(Resolve(customer: ContosoIncomplete()));

        Assert.Equal(CustomerStatus.Draft, (await Customer())!.Status);
        var review = Assert.Single(_harness.Published<CustomerNeedsReview>());
        Assert.Equal(["missing billing address street", "missing billing address city", "missing billing address country", "missing billing contact email"],
            review.Reasons);
        var item = await _harness.GetAsync<ReviewItem>(ReviewItem.CollectionName, ReviewItem.KeyFor(ReviewKind.MissingFields, ContosoId));
        Assert.Equal((ReviewStatus.Open, "Contoso Logistics Ltd"), (item!.Status, item.CustomerName));
        Assert.Equal(review.Reasons, item.Reasons);
        Assert.Empty(_harness.Published<CustomerReady>());
    }

    [Fact]
    public async Task A_redelivered_command_is_applied_once()
    {
        var messageId = await _harness.PublishAsync(Resolve());
        await _harness.PublishAsync(Resolve(), messageId);
        await _harness.ConsumedAsync<ResolveCustomer>(messageId, times: 2);
        await _harness.SettleAsync();

        Assert.Equal(2, (await Customer())!.Revision);
        Assert.Single(_harness.Published<CustomerReady>());
    }

    [Fact]
    public async Task A_second_deal_for_the_same_company_reuses_its_golden_customer()
    {
        await Deliver(Resolve("deal-9001"));
        _harness.Time.Advance(TimeSpan.FromDays(1));

        await Deliver(Resolve("deal-9002"));

        var customer = await Customer();
        Assert.Equal(2, customer!.Revision);
        Assert.Equal(ServiceHarness.DefaultStart.UtcDateTime, customer.Updated);
        Assert.Equal(new HashSet<Guid> { FlowOf("deal-9001"), FlowOf("deal-9002") },
            _harness.Published<CustomerReady>().Select(r => r.FlowId).ToHashSet());
        Assert.All(_harness.Published<CustomerReady>(), r => Assert.Equal(ContosoId, r.CustomerId));
    }

    [Fact]
    public async Task Deals_of_a_customer_the_crm_did_not_change_leave_its_record_unwritten_so_they_cannot_collide_on_it()
    {
        await Deliver(Resolve("deal-9001"));
        var customers = _harness.Store.Collection<GoldenCustomer>(GoldenCustomer.CollectionName);
        var before = await customers.GetAsync(ContosoId.ToString("D"), TestContext.Current.CancellationToken);

        await Deliver(Resolve("deal-9002"));
        await Deliver(Resolve("deal-9003"));

        var after = await customers.GetAsync(ContosoId.ToString("D"), TestContext.Current.CancellationToken);
        Assert.Equal(before!.Version, after!.Version);
        Assert.Equal(3, _harness.Published<CustomerReady>().Select(r => r.FlowId).Distinct().Count());

        // A change from the CRM is still written.
        await Deliver(Resolve("deal-9004", Contoso() with { Domain = "contoso-logistics.example" }));
        var changed = await customers.GetAsync(ContosoId.ToString("D"), TestContext.Current.CancellationToken);
        Assert.True(changed!.Version > after.Version);
        Assert.Equal("contoso-logistics.example", changed.Value.Domain);
    }

    [Fact]
    public async Task A_held_flow_is_released_once_when_the_crm_completes_its_customer()
    {
        await Deliver(Resolve("deal-9001", ContosoIncomplete()));
        var changed = new Contracts.CrmIngest.CustomerChangedInCrm
        {
            TenantId = Tenant, FlowId = Guid.NewGuid(), SourceSystem = Crm, Customer = Contoso(), ChangedAt = ServiceHarness.DefaultStart.AddHours(2),
        };

        var messageId = await _harness.PublishAsync(changed);
        await _harness.PublishAsync(changed, messageId);
        await _harness.ConsumedAsync<Contracts.CrmIngest.CustomerChangedInCrm>(messageId, times: 2);
        await _harness.SettleAsync();
        await Deliver(changed);

        var ready = Assert.Single(_harness.Published<CustomerReady>());
        Assert.Equal((FlowOf("deal-9001"), ContosoId, "Net 30"), (ready.FlowId, ready.CustomerId, ready.PaymentTerms));
        var customer = await Customer();
        Assert.Equal((CustomerStatus.Approved, 3), (customer!.Status, customer.Revision));
        var item = await _harness.GetAsync<ReviewItem>(ReviewItem.CollectionName, ReviewItem.KeyFor(ReviewKind.MissingFields, ContosoId));
        Assert.Equal((ReviewStatus.Resolved, ReviewDecision.Superseded), (item!.Status, item.Decision));
    }

    [Fact]
    public async Task A_new_crm_record_for_a_company_the_tenant_already_has_waits_as_a_potential_duplicate()
    {
        await Deliver(Resolve("deal-9001"));

        await Deliver(Resolve("deal-9002", Contoso("company-8080") with { LegalName = "Contoso Logistics Limited" }));

        var duplicateId = CustomerRules.CustomerIdFor(Tenant, Crm, "company-8080");
        var item = await _harness.GetAsync<ReviewItem>(ReviewItem.CollectionName, ReviewItem.KeyFor(ReviewKind.PotentialDuplicate, duplicateId));
        Assert.Equal("Contoso Logistics Limited", item!.CustomerName); // the question names the new record, as the review queue shows it
        var candidate = Assert.Single(item.Candidates);
        Assert.Equal(ContosoId, candidate.CustomerId);
        Assert.True(candidate.Score >= 0.80m);
        Assert.Contains("same tax ID", candidate.Reasons);
        Assert.Equal(CustomerStatus.Draft, (await _harness.GetAsync<GoldenCustomer>(GoldenCustomer.CollectionName, duplicateId.ToString("D")))!.Status);
        var review = Assert.Single(_harness.Published<CustomerNeedsReview>());
        Assert.Equal(FlowOf("deal-9002"), review.FlowId);
        Assert.StartsWith("possible duplicate of Contoso Logistics Ltd", Assert.Single(review.Reasons));
    }

    [Fact]
    public async Task A_crm_change_to_a_field_finance_owns_is_held_as_an_ownership_conflict()
    {
        await Deliver(Resolve());
        var policy = MasterDataPolicy.Default(Tenant);
        policy.FieldOwners[FieldNames.BillingAddress] = FieldOwner.Finance;
        await _harness.Store.CommitAsync([ServiceDefaults.Storage.DocumentWrite.Upsert(MasterDataPolicy.CollectionName, Tenant, policy)], TestContext.Current.CancellationToken);

        await Deliver(new Contracts.CrmIngest.CustomerChangedInCrm
        {
            TenantId = Tenant, FlowId = Guid.NewGuid(), SourceSystem = Crm, ChangedAt = ServiceHarness.DefaultStart,
            Customer = Contoso() with { BillingAddress = new Contracts.PostalAddress { Line1 = "1 Other Road", City = "York", Country = "GB" } },
        });

        Assert.Equal("10 King Street", (await Customer())!.BillingAddress!.Line1);
        var conflicts = await _harness.Store.Collection<ReviewItem>(ReviewItem.CollectionName).FindAsync(i => i.Kind == ReviewKind.OwnershipConflict, cancellationToken: TestContext.Current.CancellationToken);
        var conflict = Assert.Single(conflicts).Value;
        Assert.Equal((FieldNames.BillingAddress, "hubspot", ReviewStatus.Open), (conflict.Field, conflict.ProposedSource, conflict.Status));
    }

    [Fact]
    public async Task A_customer_completed_by_the_next_deal_releases_the_earlier_held_deal_too()
    {
        await Deliver(Resolve("deal-9001", ContosoIncomplete()));

        await Deliver(Resolve("deal-9002", Contoso()));

        Assert.Equal(CustomerStatus.Approved, (await Customer())!.Status);
        Assert.Equal(new HashSet<Guid> { FlowOf("deal-9001"), FlowOf("deal-9002") }, _harness.Published<CustomerReady>().Select(r => r.FlowId).ToHashSet());
        Assert.Equal(2, _harness.Published<CustomerReady>().Count);
        Assert.Equal(FlowOf("deal-9001"), Assert.Single(_harness.Published<CustomerNeedsReview>()).FlowId);
    }
}
