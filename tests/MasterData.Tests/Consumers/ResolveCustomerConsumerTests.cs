using QuoteToCash.Contracts.MasterData;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.MasterData.Extensions;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.MasterData.Tests.Consumers;

/// <summary>ResolveCustomer on MassTransit's test harness, with master-data's own store and inbox/outbox.</summary>
public sealed class ResolveCustomerConsumerTests : IAsyncLifetime
{
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync() =>
        _harness = await ServiceHarness.StartAsync(x => x.AddMasterDataHandlers(), cancellationToken: TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

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
        await _harness.DeliverAsync(Resolve());

        var customer = await Customer();
        Assert.NotNull(customer);
        Assert.Equal((CustomerStatus.Approved, "Contoso Logistics Ltd", 1), (customer.Status, customer.LegalName, customer.Revision));
        Assert.Equal(ServiceHarness.DefaultStart.UtcDateTime, customer.Created);
        var ready = Assert.Single(_harness.Published<CustomerReady>());
        Assert.Equal((FlowOf("deal-9001"), ContosoId, "Contoso Logistics Ltd"), (ready.FlowId, ready.CustomerId, ready.DisplayName));
        Assert.Empty(_harness.Published<CustomerNeedsReview>());
    }

    [Fact]
    public async Task An_incomplete_customer_is_kept_as_a_draft_and_the_flow_is_told_what_is_missing()
    {
        await _harness.DeliverAsync(Resolve(customer: ContosoIncomplete()));

        Assert.Equal(CustomerStatus.Draft, (await Customer())!.Status);
        var review = Assert.Single(_harness.Published<CustomerNeedsReview>());
        Assert.Equal(["missing billing address street", "missing billing address city", "missing billing address country", "missing billing contact email"],
            review.Reasons);
        Assert.Empty(_harness.Published<CustomerReady>());
    }

    [Fact]
    public async Task A_redelivered_command_is_applied_once()
    {
        var messageId = await _harness.PublishAsync(Resolve());
        await _harness.PublishAsync(Resolve(), messageId);
        await _harness.ConsumedAsync<ResolveCustomer>(messageId, times: 2);

        Assert.Equal(1, (await Customer())!.Revision);
        Assert.Single(_harness.Published<CustomerReady>());
    }

    [Fact]
    public async Task A_second_deal_for_the_same_company_reuses_its_golden_customer()
    {
        await _harness.DeliverAsync(Resolve("deal-9001"));
        _harness.Time.Advance(TimeSpan.FromDays(1));

        await _harness.DeliverAsync(Resolve("deal-9002"));

        var customer = await Customer();
        Assert.Equal(2, customer!.Revision);
        Assert.Equal(ServiceHarness.DefaultStart.UtcDateTime.AddDays(1), customer.Updated);
        Assert.Equal(new HashSet<Guid> { FlowOf("deal-9001"), FlowOf("deal-9002") },
            _harness.Published<CustomerReady>().Select(r => r.FlowId).ToHashSet());
        Assert.All(_harness.Published<CustomerReady>(), r => Assert.Equal(ContosoId, r.CustomerId));
    }

    [Fact]
    public async Task A_customer_completed_in_the_crm_becomes_ready_on_the_next_deal()
    {
        await _harness.DeliverAsync(Resolve("deal-9001", ContosoIncomplete()));

        await _harness.DeliverAsync(Resolve("deal-9002", Contoso()));

        Assert.Equal(CustomerStatus.Approved, (await Customer())!.Status);
        Assert.Equal(FlowOf("deal-9002"), Assert.Single(_harness.Published<CustomerReady>()).FlowId);
        Assert.Equal(FlowOf("deal-9001"), Assert.Single(_harness.Published<CustomerNeedsReview>()).FlowId);
    }
}
