using QuoteToCash.Contracts;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.MasterData.Tests.Peers;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.MasterData.Tests.Consumers;

/// <summary>
/// Customer snapshots with JSON nulls where the contract has a list or an entry, as a CRM or an older crm-ingest could
/// send them: master-data keeps the customer (as a draft that needs its contact) instead of failing the message on
/// every retry.
/// </summary>
public sealed class HostileCustomerSnapshotTests : IAsyncLifetime
{
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await MasterDataWithQuickBooks.StartAsync();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private static Guid ContosoId => CustomerRules.CustomerIdFor(Tenant, Crm, "company-4711");

    private Task Resolve(CustomerSnapshot customer) => _harness.DeliverAndSettleAsync(new ResolveCustomer
    {
        TenantId = Tenant, FlowId = FlowOf("deal-9001"), SourceSystem = Crm, Customer = customer,
    });

    [Fact]
    public async Task A_null_contact_list_resolves_to_a_draft_waiting_for_a_billing_contact()
    {
        await Resolve(Contoso() with { Contacts = null! });

        var customer = await _harness.GetAsync<GoldenCustomer>(GoldenCustomer.CollectionName, ContosoId.ToString("D"));
        Assert.Equal(CustomerStatus.Draft, customer!.Status);
        Assert.Contains("missing billing contact email", Assert.Single(_harness.Published<CustomerNeedsReview>()).Reasons);
    }

    [Fact]
    public async Task Null_contacts_in_the_list_are_left_out()
    {
        await Resolve(Contoso() with { Contacts = [null!, new ContactPerson { FirstName = "Accounts", Email = "ap@contoso-logistics.test", IsBillingContact = true }] });

        var customer = await _harness.GetAsync<GoldenCustomer>(GoldenCustomer.CollectionName, ContosoId.ToString("D"));
        Assert.Equal("ap@contoso-logistics.test", Assert.Single(customer!.Contacts).Email);
    }

    [Fact]
    public async Task A_company_id_longer_than_a_store_key_still_gets_the_flow_an_answer()
    {
        // The customer's key is derived (a GUID), so the CRM's ID is only data here: the message is handled, not faulted.
        await Resolve(Contoso(externalId: new string('k', 1_100)));

        Assert.Equal(1, _harness.Published<CustomerReady>().Count + _harness.Published<CustomerNeedsReview>().Count);
    }
}
