using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.BillingRules.Apis;
using QuoteToCash.BillingRules.Domain;
using QuoteToCash.BillingRules.Infrastructure.Policies;
using QuoteToCash.BillingRules.Messages;
using QuoteToCash.BillingRules.Sagas;
using QuoteToCash.BillingRules.Tests.Sagas;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.BillingRules;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.Testing.Harness;
using QuoteToCash.Testing.Scenarios;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.BillingRules.Tests.Apis;

/// <summary>
/// An invoice above the tenant's approval limit waits in AwaitingApproval and says why; a finance manager who is neither
/// the requester nor the deal owner approves or rejects it; the policy itself is validated and kept exactly.
/// </summary>
public sealed class ApprovalsApiTests : IAsyncLifetime
{
    private const string DealOwner = "sam.seller@harbour-pine.test";
    private static readonly Guid ContosoId = Guid.Parse("6a0f3c1e-0d5b-4c55-9a3e-8b1f2d7c4e90");
    private static readonly ClaimsPrincipal Maria = Operators.User("maria", Roles.FinanceManager);
    private static readonly ClaimsPrincipal Sam = Operators.User(DealOwner, Roles.FinanceManager);
    private static readonly ClaimsPrincipal Root = Operators.User("root", Roles.Admin);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly Guid _flowId = FlowOf("deal-9001");
    private FlowHarness _flows = null!;

    private ServiceHarness Harness => _flows.Harness;

    public async ValueTask InitializeAsync() => _flows = await FlowHarness.StartAsync();

    public ValueTask DisposeAsync() => _flows.DisposeAsync();

    private async Task<T> Call<T>(Func<IServiceProvider, Task<T>> handler)
    {
        await using var scope = Harness.Services.CreateAsyncScope();
        return await handler(scope.ServiceProvider);
    }

    private Task<Results<Ok<BillingPolicyView>, ValidationProblem>> PutPolicy(BillingPolicyRequest request) =>
        Call(sp => PolicyApi.PutPolicy(Tenant, request, Root, sp.GetRequiredService<BillingPolicies>(), Harness.Store, Harness.Time, Ct));

    private Task<Results<Accepted<DecisionView>, ProblemHttpResult>> Decide(ClaimsPrincipal user, bool approve, Guid invoiceId, string? note = null) =>
        Call(sp => ApprovalsApi.DecideAsync(Tenant, _flowId, invoiceId, approve, new DecisionRequest(note), user, Harness.Store,
            sp.GetRequiredService<SagaCollection<QuoteToCashState>>(), sp.GetRequiredService<IUnitOfWork>(), Harness.Time, Ct));

    private async Task<Guid> AwaitingApproval()
    {
        Assert.IsType<Ok<BillingPolicyView>>((await PutPolicy(new BillingPolicyRequest(
            Approval: new ApprovalPolicyView(10, 30, 10_000m, true, 8)))).Result);
        await Harness.DeliverAsync(ErpRolloutWon() with { OwnerEmail = DealOwner });
        await Harness.DeliverAsync(ContosoReady(_flowId, ContosoId));
        await _flows.InStateAsync(_flowId, FlowStage.AwaitingApproval);
        return Assert.Single((await _flows.FlowAsync(_flowId)).Invoices).Draft.InvoiceId;
    }

    [Fact]
    public async Task An_invoice_above_the_limit_waits_for_approval_and_says_how_far_it_is_from_standard()
    {
        await AwaitingApproval();

        Assert.Empty(Harness.Published<PostInvoice>());
        var pending = Assert.Single((await Call(sp => ApprovalsApi.ListPending(Tenant, Harness.Store,
            sp.GetRequiredService<SagaCollection<QuoteToCashState>>(), Ct))).Value!);
        Assert.Equal((DealOwner, "AwaitingApproval", 18_500m), (pending.DealOwner, pending.Invoice.Status, pending.Invoice.Total));
        var reason = Assert.Single(pending.Invoice.ApprovalReasons);
        Assert.Equal("Amount", reason.Code);
        Assert.NotNull(reason.Difference);
        Assert.Equal(ServiceHarness.DefaultStart.UtcDateTime.AddHours(8), pending.Invoice.ApprovalDueAt);
        // The wait begins when billing drafted the invoice, on billing's own clock (not the transport's).
        var drafted = Assert.Single(Harness.Published<InvoiceDrafted>());
        Assert.Equal((true, (DateTimeOffset?)ServiceHarness.DefaultStart), (drafted.RequiresApproval, drafted.DraftedAt));
    }

    [Fact]
    public async Task The_deal_owner_may_not_approve_their_own_deals_invoice()
    {
        var invoiceId = await AwaitingApproval();

        var refused = await Decide(Sam, true, invoiceId);

        var problem = Assert.IsType<ProblemHttpResult>(refused.Result);
        Assert.Equal((403, "Segregation of duties"), (problem.StatusCode, problem.ProblemDetails.Title));
        await Harness.SettleAsync();
        Assert.Empty(Harness.Published<InvoiceApprovalDecided>());
        Assert.Empty(Harness.Published<InvoiceApprovalRecorded>());
        await _flows.InStateAsync(_flowId, FlowStage.AwaitingApproval);
    }

    [Fact]
    public async Task The_saga_refuses_a_decision_by_the_deal_owner_even_if_it_arrives_without_the_api()
    {
        var invoiceId = await AwaitingApproval();

        await Harness.DeliverAsync(new InvoiceApprovalDecided
        {
            TenantId = Tenant, FlowId = _flowId, InvoiceId = invoiceId, Approved = true, By = " SAM.SELLER@harbour-pine.test ", At = Harness.Time.GetUtcNow(),
        });

        await _flows.InStateAsync(_flowId, FlowStage.AwaitingApproval);
        Assert.Empty(Harness.Published<PostInvoice>());
        Assert.Contains((await _flows.FlowAsync(_flowId)).Alerts, a => a.Message.Contains("may not decide", StringComparison.Ordinal));
        Assert.Empty(Harness.Published<InvoiceApprovalRecorded>());
    }

    [Fact]
    public async Task Another_finance_manager_approves_and_the_invoice_is_posted_once()
    {
        var invoiceId = await AwaitingApproval();
        Harness.Time.Advance(TimeSpan.FromHours(1));

        var accepted = await Decide(Maria, true, invoiceId, "Contoso's framework agreement allows it");
        Assert.Equal(("Approved", "maria"), (Assert.IsType<Accepted<DecisionView>>(accepted.Result).Value!.Decision, accepted.Result is Accepted<DecisionView> a ? a.Value!.By : null));
        await _flows.PublishedAsync<PostInvoice>();

        await _flows.InStateAsync(_flowId, FlowStage.Posting);
        var invoice = Assert.Single((await _flows.FlowAsync(_flowId)).Invoices);
        Assert.Equal(("maria", "Contoso's framework agreement allows it"), (invoice.DecidedBy, invoice.DecisionNote));
        Assert.Equal(invoiceId, Assert.Single(Harness.Published<PostInvoice>()).InvoiceId);
        Assert.Null(await _flows.JobAsync(SettleFlowActivity.ApprovalSlaJobId(invoiceId)));
        var recorded = Assert.Single(Harness.Published<InvoiceApprovalRecorded>());
        Assert.Equal((invoiceId, "Approved", "maria", ServiceHarness.DefaultStart, ServiceHarness.DefaultStart.AddHours(1), "Contoso's framework agreement allows it"),
            (recorded.InvoiceId, recorded.Decision, recorded.DecidedBy, recorded.RequestedAt, recorded.DecidedAt, recorded.Note));

        var again = await Decide(Maria, false, invoiceId);
        Assert.Equal(409, Assert.IsType<ProblemHttpResult>(again.Result).StatusCode);
    }

    [Fact]
    public async Task A_rejected_invoice_is_never_posted()
    {
        var invoiceId = await AwaitingApproval();

        Assert.IsType<Accepted<DecisionView>>((await Decide(Maria, false, invoiceId, "wrong customer entity")).Result);

        var invoice = Assert.Single((await _flows.FlowWhenAsync(_flowId, f => f.Invoices.All(i => i.Status != InvoiceStatus.AwaitingApproval))).Invoices);
        Assert.Equal(InvoiceStatus.Rejected, invoice.Status);
        Assert.Empty(Harness.Published<PostInvoice>());
        var recorded = Assert.Single(Harness.Published<InvoiceApprovalRecorded>());
        Assert.Equal((invoiceId, "Rejected", "maria", "wrong customer entity"), (recorded.InvoiceId, recorded.Decision, recorded.DecidedBy, recorded.Note));
        Assert.True(recorded.DecidedAt >= recorded.RequestedAt);
    }

    [Fact]
    public async Task An_approval_waiting_beyond_its_sla_is_flagged()
    {
        var invoiceId = await AwaitingApproval();

        await _flows.FireAsync<ApprovalSlaElapsed>(SettleFlowActivity.ApprovalSlaJobId(invoiceId));

        var invoice = Assert.Single((await _flows.FlowAsync(_flowId)).Invoices);
        Assert.True(invoice.ApprovalSlaBreached);
        await _flows.InStateAsync(_flowId, FlowStage.AwaitingApproval);
    }

    [Fact]
    public async Task A_policy_is_validated_and_a_check_switched_off_stays_off_in_the_store()
    {
        var refused = await PutPolicy(new BillingPolicyRequest(
            Approval: new ApprovalPolicyView(150, -1, -5, true, 0),
            Rollout: new RolloutPolicyView("Sometimes", [], [" "], false, -1),
            Numbering: new NumberingPolicyView("TenantSequence", "A-VERY-LONG-PREFIX-", 6, 1),
            ClosedBooks: "Never", StandardTerms: "Whenever"));
        Assert.Equal(["approval.maxAmount", "approval.maxDiscountPercent", "approval.maxNetDays", "approval.slaHours", "closedBooks",
                "numbering.prefix", "rollout", "rollout.minimumAmount", "rollout.mode", "standardTerms"],
            Assert.IsType<ValidationProblem>(refused.Result).ProblemDetails.Errors.Keys.Order());

        Assert.IsType<Ok<BillingPolicyView>>((await PutPolicy(new BillingPolicyRequest(Approval: new ApprovalPolicyView(null, null, null, false, 24)))).Result);

        var stored = (await Call(sp => PolicyApi.GetPolicy(Tenant, sp.GetRequiredService<BillingPolicies>(), Ct))).Value!;
        Assert.Equal(((decimal?)null, (int?)null, false, "root"), (stored.Approval.MaxDiscountPercent, stored.Approval.MaxNetDays,
            stored.Approval.ManualLinesNeedApproval, stored.UpdatedBy));
    }

    [Fact]
    public async Task A_tenant_that_never_set_a_policy_gets_the_standard_one()
    {
        var policy = (await Call(sp => PolicyApi.GetPolicy(Tenant, sp.GetRequiredService<BillingPolicies>(), Ct))).Value!;

        Assert.Equal((10m, 30, "Live", "QuickBooks", "MoveToFirstOpenDate", "Net 30"), (policy.Approval.MaxDiscountPercent, policy.Approval.MaxNetDays,
            policy.Rollout.Mode, policy.Numbering.Mode, policy.ClosedBooks, policy.StandardTerms));
    }
}
