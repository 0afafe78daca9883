using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.BillingRules.Apis;
using QuoteToCash.BillingRules.Domain;
using QuoteToCash.BillingRules.Sagas;
using QuoteToCash.BillingRules.Tests.Sagas;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.Testing.Harness;
using QuoteToCash.Testing.Scenarios;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.BillingRules.Tests.Apis;

/// <summary>Manual lines are invoiced on their own and wait for a finance manager who did not type them.</summary>
public sealed class ManualChargesApiTests : IAsyncLifetime
{
    private static readonly ClaimsPrincipal Ben = Operators.User("ben", Roles.BillingSpecialist);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly Guid _flowId = FlowOf("deal-9001");
    private FlowHarness _flows = null!;

    private ServiceHarness Harness => _flows.Harness;

    public async ValueTask InitializeAsync()
    {
        _flows = await FlowHarness.StartAsync();
        await Harness.DeliverAsync(ErpRolloutWon());
        await Harness.DeliverAsync(ContosoReady(_flowId, Guid.NewGuid()));
    }

    public ValueTask DisposeAsync() => _flows.DisposeAsync();

    private async Task<Results<Accepted<ManualChargeView>, ValidationProblem, ProblemHttpResult>> Add(ManualChargeRequest request, Guid? flowId = null)
    {
        await using var scope = Harness.Services.CreateAsyncScope();
        return await ManualChargesApi.AddAsync(Tenant, flowId ?? _flowId, request, Ben, Harness.Store,
            scope.ServiceProvider.GetRequiredService<SagaCollection<QuoteToCashState>>(), scope.ServiceProvider.GetRequiredService<IUnitOfWork>(), Harness.Time, Ct);
    }

    [Fact]
    public async Task Manual_lines_become_their_own_invoice_waiting_for_approval_by_someone_else()
    {
        var accepted = await Add(new ManualChargeRequest([new("Travel to Leeds, 2 – 3 March", 1m, 412.60m), new("Hotel", 2m, 135m, 10m)], "expenses agreed by email",
            RequestId: "exp-1"));
        Assert.Equal(655.60m, Assert.IsType<Accepted<ManualChargeView>>(accepted.Result).Value!.Total);  // 412.60 + 2 × 135 less 10 %

        var flow = await _flows.FlowWhenAsync(_flowId, f => f.Invoices.Any(i => i.Draft.Kind == ChargeKind.Manual));
        var manual = Assert.Single(flow.Invoices, i => i.Draft.Kind == ChargeKind.Manual);
        Assert.Equal((InvoiceStatus.AwaitingApproval, "ben", 655.60m), (manual.Status, manual.RequestedBy, manual.Draft.Total));
        Assert.Contains(manual.ApprovalReasons, r => r.Code == ApprovalReason.ManualLine);
        Assert.All(manual.Draft.Lines, l => Assert.True(l.Manual));
        Assert.Single(Harness.Published<PostInvoice>()); // only the contract's fee went to QuickBooks

        await Add(new ManualChargeRequest([new("Travel to Leeds, 2 – 3 March", 1m, 412.60m)], "expenses agreed by email", RequestId: "exp-1"));
        await _flows.PublishedAsync<Messages.AddManualCharge>(2);
        Assert.Single((await _flows.FlowAsync(_flowId)).Invoices, i => i.Draft.Kind == ChargeKind.Manual);
    }

    [Fact]
    public async Task Bad_lines_are_refused_field_by_field_and_an_unknown_flow_is_404()
    {
        var refused = await Add(new ManualChargeRequest([new(" ", 0m, -1m, 120m, "TRAVEL")], ""));
        Assert.Equal(["lines[0].description", "lines[0].discountPercent", "lines[0].product", "lines[0].quantity", "lines[0].unitPrice", "reason"],
            Assert.IsType<ValidationProblem>(refused.Result).ProblemDetails.Errors.Keys.Order());

        var missing = await Add(new ManualChargeRequest([new("Travel", 1m, 10m)], "x"), FlowOf("no-such-deal"));
        Assert.Equal(404, Assert.IsType<ProblemHttpResult>(missing.Result).StatusCode);
    }
}
