using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.MasterData.Apis;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.MasterData.Extensions;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.MasterData.Tests.Apis;

public sealed class CustomersApiTests : IAsyncLifetime
{
    private ServiceHarness _harness = null!;
    private static Guid ContosoId => CustomerRules.CustomerIdFor(Tenant, Crm, "company-4711");

    public async ValueTask InitializeAsync()
    {
        _harness = await ServiceHarness.StartAsync(x => x.AddMasterDataHandlers(), cancellationToken: TestContext.Current.CancellationToken);
        await _harness.DeliverAsync(new ResolveCustomer { TenantId = Tenant, FlowId = FlowOf("deal-9001"), SourceSystem = Crm, Customer = Contoso() });
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task A_customer_is_shown_as_a_view_with_its_tax_id_masked()
    {
        var result = await CustomersApi.GetCustomer(Tenant, ContosoId, _harness.Store, TestContext.Current.CancellationToken);

        var customer = Assert.IsType<Ok<CustomerView>>(result.Result).Value!;
        Assert.Equal(("Contoso Logistics Ltd", CustomerStatus.Approved), (customer.LegalName, customer.Status));
        Assert.Equal("••••6789", customer.TaxId);
        var json = JsonSerializer.SerializeToElement(customer, JsonSerializerOptions.Web).GetRawText();
        Assert.DoesNotContain("123", json);
        Assert.DoesNotContain("\"version\"", json);
    }

    [Fact]
    public async Task A_missing_customer_and_another_tenants_customer_are_the_same_404_problem()
    {
        var missing = await CustomersApi.GetCustomer(Tenant, Guid.NewGuid(), _harness.Store, TestContext.Current.CancellationToken);
        var otherTenant = await CustomersApi.GetCustomer("another-firm", ContosoId, _harness.Store, TestContext.Current.CancellationToken);

        foreach (var result in new[] { missing, otherTenant })
        {
            var problem = Assert.IsType<ProblemHttpResult>(result.Result);
            Assert.Equal((404, "application/problem+json", "Customer not found"), (problem.StatusCode, problem.ContentType, problem.ProblemDetails.Title));
        }
    }

    [Fact]
    public async Task Customers_are_listed_per_tenant_and_status()
    {
        var approved = await CustomersApi.ListCustomers(Tenant, _harness.Store, CustomerStatus.Approved, TestContext.Current.CancellationToken);
        var drafts = await CustomersApi.ListCustomers(Tenant, _harness.Store, CustomerStatus.Draft, TestContext.Current.CancellationToken);

        Assert.Equal(ContosoId, Assert.Single(approved.Value!).CustomerId);
        Assert.Empty(drafts.Value!);
    }
}
