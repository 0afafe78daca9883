using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.BillingRules.Apis;
using QuoteToCash.BillingRules.Extensions;
using QuoteToCash.BillingRules.Messages;
using QuoteToCash.BillingRules.Sagas;
using QuoteToCash.Contracts;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.Testing.Scenarios;
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
    public async Task The_view_shows_each_time_entry_with_its_quickbooks_time_activity_and_the_invoice_s_send_and_due_facts()
    {
        var flowId = FlowOf("deal-9001");
        await _harness.DeliverAsync(new Contracts.MasterData.ItemMappingChanged
        {
            TenantId = Tenant, ProductKey = "*", ProductName = "Services", ItemRef = "1", ChangedAt = ServiceHarness.DefaultStart.AddDays(-30),
        });
        await _harness.DeliverAsync(new Contracts.CrmIngest.TimeEntryLogged
        {
            TenantId = Tenant, FlowId = flowId, SourceSystem = Crm, ExternalDealId = "deal-9001", EntryId = "t1", Person = "Ada", Role = "senior",
            Date = new DateOnly(2026, 3, 2), Hours = 3m, Billable = true,
        });
        await _harness.DeliverAsync(ContosoReady(flowId, Guid.NewGuid()));
        var invoiceId = Assert.Single(_harness.Published<Contracts.AccountingSync.PostInvoice>()).InvoiceId;
        await _harness.DeliverAsync(new Contracts.AccountingSync.InvoicePosted
        {
            TenantId = Tenant, FlowId = flowId, InvoiceId = invoiceId, AccountingInvoiceId = "130", DocNumber = "1042", Total = 18_500m, Balance = 18_500m,
            PostedAt = _harness.Time.GetUtcNow(), DueDate = new DateOnly(2026, 4, 20),
        });
        await _harness.DeliverAsync(new Contracts.AccountingSync.TimeActivityPosted
        {
            TenantId = Tenant, FlowId = flowId, TimeEntryId = "t1", AccountingTimeActivityId = "TA-5", PostedAt = _harness.Time.GetUtcNow(),
        });

        var flow = Assert.IsType<Ok<FlowView>>((await FlowsApi.GetFlow(Tenant, flowId, _harness.Store, Sagas, TestContext.Current.CancellationToken)).Result).Value!;

        var entry = Assert.Single(flow.TimeEntries);
        Assert.Equal(("t1", "Ada", 3m, "TA-5"), (entry.EntryId, entry.Person, entry.Hours, entry.AccountingTimeActivityId));
        Assert.NotNull(entry.TimeActivityRequestedAt);
        var invoice = Assert.Single(flow.Invoices);
        Assert.Equal(new DateOnly(2026, 4, 20), invoice.DueDate);
        Assert.NotNull(invoice.SendRequestedAt);
        Assert.Null(invoice.VoidedAt);
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

    private async Task<T> Call<T>(Func<IServiceProvider, Task<T>> handler)
    {
        await using var scope = _harness.Services.CreateAsyncScope();
        return await handler(scope.ServiceProvider);
    }

    [Fact]
    public async Task Held_and_stuck_flows_are_listed_and_a_held_flow_is_released_by_finance()
    {
        var flowId = FlowOf("deal-9001");
        await _harness.DeliverAsync(ContosoReady(flowId, Guid.NewGuid()) with { Currency = "USD" }); // held: the customer is billed in USD
        var held = await FlowsApi.ListFlows(Tenant, null, _harness.Store, Sagas, TestContext.Current.CancellationToken, held: true);
        var view = Assert.Single(held.Value!);
        Assert.Equal(("HeldForCurrency", "CurrencyMismatch"), (view.CurrentState, view.Hold!.Reason));
        Assert.Empty((await FlowsApi.ListFlows(Tenant, null, _harness.Store, Sagas, TestContext.Current.CancellationToken, stuck: true)).Value!);

        var released = await Call(sp => FlowsApi.Retry(Tenant, flowId, Operators.User("maria", Roles.FinanceManager), _harness.Store, Sagas,
            sp.GetRequiredService<IUnitOfWork>(), TestContext.Current.CancellationToken));
        Assert.Equal("CurrencyMismatch", Assert.IsType<Accepted<RetryView>>(released.Result).Value!.ReleasedHold);
        Assert.True(await QuoteToCash.Testing.Polling.Eventually(() => _harness.Published<RetryHeldFlow>().Any(r => r.FlowId == flowId && r.By == "maria")));

        var nothing = await Call(sp => FlowsApi.Retry(Tenant, FlowOf("nope"), Operators.User("maria", Roles.FinanceManager), _harness.Store, Sagas,
            sp.GetRequiredService<IUnitOfWork>(), TestContext.Current.CancellationToken));
        Assert.Equal(404, Assert.IsType<ProblemHttpResult>(nothing.Result).StatusCode);
    }

    [Fact]
    public async Task A_retainers_balance_and_history_are_shown_and_other_models_have_none()
    {
        var deal = ErpRolloutWon("deal-ret") with
        {
            BillingModel = BillingModel.Retainer,
            Billing = new BillingTerms { Model = BillingModel.Retainer, Retainer = new RetainerTerms { Deposit = 5_000m, Threshold = 1_000m } },
            Amount = 5_000m,
        };
        await _harness.DeliverAsync(new Contracts.MasterData.ItemMappingChanged { TenantId = Tenant, ProductKey = "*", ItemRef = "1", ChangedAt = ServiceHarness.DefaultStart });
        await _harness.DeliverAsync(deal);
        await _harness.DeliverAsync(ContosoReady(deal.FlowId, Guid.NewGuid()));

        var retainer = Assert.IsType<Ok<RetainerView>>((await FlowsApi.GetRetainer(Tenant, deal.FlowId, _harness.Store, Sagas, TestContext.Current.CancellationToken)).Result).Value!;
        Assert.Equal((5_000m, 5_000m, 0m), (retainer.Balance, retainer.Deposited, retainer.DrawnDown));
        Assert.Equal("Deposit", Assert.Single(retainer.Entries).Kind);

        var none = await FlowsApi.GetRetainer(Tenant, FlowOf("deal-9001"), _harness.Store, Sagas, TestContext.Current.CancellationToken);
        Assert.Equal(("No retainer", 404), (Assert.IsType<ProblemHttpResult>(none.Result).ProblemDetails.Title, Assert.IsType<ProblemHttpResult>(none.Result).StatusCode));
    }
}
