using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.BillingRules.Apis;
using QuoteToCash.BillingRules.Extensions;
using QuoteToCash.BillingRules.Sagas;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.BillingRules.Tests.Apis;

public sealed class FlowsApiTests : IAsyncLifetime
{
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await ServiceHarness.StartAsync(x => x.AddBillingRulesHandlers(), cancellationToken: TestContext.Current.CancellationToken);
        await _harness.DeliverAsync(ErpRolloutWon());
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private SagaCollection<QuoteToCashState> Sagas => _harness.Services.GetRequiredService<SagaCollection<QuoteToCashState>>();

    [Fact]
    public async Task A_flow_is_shown_as_a_view_without_storage_or_saga_internals()
    {
        var result = await FlowsApi.GetFlow(Tenant, FlowOf("deal-9001"), _harness.Store, Sagas, TestContext.Current.CancellationToken);

        var flow = Assert.IsType<Ok<FlowView>>(result.Result).Value!;
        Assert.Equal(("AwaitingCustomer", 18_500m, "GBP"), (flow.CurrentState, flow.Amount, flow.Currency));
        var json = JsonSerializer.SerializeToElement(flow, JsonSerializerOptions.Web);
        var names = json.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("flowId", names);
        Assert.DoesNotContain("version", names);
        Assert.DoesNotContain("correlationId", names);
    }

    [Fact]
    public async Task A_missing_flow_and_another_tenants_flow_are_the_same_404_problem()
    {
        var missing = await FlowsApi.GetFlow(Tenant, Guid.NewGuid(), _harness.Store, Sagas, TestContext.Current.CancellationToken);
        var otherTenant = await FlowsApi.GetFlow("another-firm", FlowOf("deal-9001"), _harness.Store, Sagas, TestContext.Current.CancellationToken);

        foreach (var result in new[] { missing, otherTenant })
        {
            var problem = Assert.IsType<ProblemHttpResult>(result.Result);
            Assert.Equal((404, "application/problem+json", "Flow not found"), (problem.StatusCode, problem.ContentType, problem.ProblemDetails.Title));
        }
    }

    [Fact]
    public async Task Flows_are_listed_per_tenant_and_state()
    {
        var all = await FlowsApi.ListFlows(Tenant, null, _harness.Store, Sagas, TestContext.Current.CancellationToken);
        var held = await FlowsApi.ListFlows(Tenant, "CustomerOnHold", _harness.Store, Sagas, TestContext.Current.CancellationToken);
        var otherTenant = await FlowsApi.ListFlows("another-firm", null, _harness.Store, Sagas, TestContext.Current.CancellationToken);

        Assert.Equal(FlowOf("deal-9001"), Assert.Single(all.Value!).FlowId);
        Assert.Empty(held.Value!);
        Assert.Empty(otherTenant.Value!);
    }
}
