using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.BillingRules.Apis;
using QuoteToCash.BillingRules.Domain;
using QuoteToCash.BillingRules.Infrastructure.Policies;
using RequestAdjustmentMessage = QuoteToCash.BillingRules.Messages.RequestAdjustment;
using QuoteToCash.BillingRules.Sagas;
using QuoteToCash.BillingRules.Tests.Sagas;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.Testing.Harness;
using QuoteToCash.Testing.Scenarios;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.BillingRules.Tests.Apis;

/// <summary>Credits, write-offs (with their own segregation of duties) and refunds on a posted 18,500 GBP invoice.</summary>
public sealed class AdjustmentsApiTests : IAsyncLifetime
{
    private static readonly Guid ContosoId = Guid.Parse("6a0f3c1e-0d5b-4c55-9a3e-8b1f2d7c4e90");
    private static readonly ClaimsPrincipal Ben = Operators.User("ben", Roles.BillingSpecialist);
    private static readonly ClaimsPrincipal Maria = Operators.User("maria", Roles.FinanceManager);
    private static readonly ClaimsPrincipal Omar = Operators.User("omar", Roles.FinanceManager);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly Guid _flowId = FlowOf("deal-9001");
    private FlowHarness _flows = null!;
    private Guid _invoiceId;

    private ServiceHarness Harness => _flows.Harness;

    public async ValueTask InitializeAsync() => _flows = await FlowHarness.StartAsync();

    public ValueTask DisposeAsync() => _flows.DisposeAsync();

    private async Task<T> Call<T>(Func<IServiceProvider, Task<T>> handler)
    {
        await using var scope = Harness.Services.CreateAsyncScope();
        return await handler(scope.ServiceProvider);
    }

    private Task<Results<Accepted<AdjustmentView>, ValidationProblem, ProblemHttpResult>> Request(ClaimsPrincipal user, AdjustmentKind kind,
        AdjustmentRequest request, Guid? invoiceId = null) =>
        Call(sp => AdjustmentsApi.RequestAsync(Tenant, _flowId, kind == AdjustmentKind.Refund ? request.InvoiceId : invoiceId ?? _invoiceId, kind, request, user,
            Harness.Store, sp.GetRequiredService<SagaCollection<QuoteToCashState>>(), sp.GetRequiredService<IUnitOfWork>(), Harness.Time, Ct));

    private Task<Results<Accepted<AdjustmentView>, ProblemHttpResult>> Decide(ClaimsPrincipal user, Guid adjustmentId, bool approve = true) =>
        Call(sp => AdjustmentsApi.DecideAsync(Tenant, _flowId, adjustmentId, approve, user, Harness.Store,
            sp.GetRequiredService<SagaCollection<QuoteToCashState>>(), sp.GetRequiredService<IUnitOfWork>(), Harness.Time, Ct));

    private async Task PostedInvoice(bool throughApproval = false)
    {
        if (throughApproval)
            await Call(sp => PolicyApi.PutPolicy(Tenant, new BillingPolicyRequest(Approval: new ApprovalPolicyView(10, 30, 10_000m, true, 24)),
                Operators.User("root", Roles.Admin), sp.GetRequiredService<BillingPolicies>(), Harness.Store, Harness.Time, Ct));
        await Harness.DeliverAsync(ErpRolloutWon());
        await Harness.DeliverAsync(ContosoReady(_flowId, ContosoId));
        _invoiceId = Assert.Single((await _flows.FlowAsync(_flowId)).Invoices).Draft.InvoiceId;
        if (throughApproval)
        {
            await Call(sp => ApprovalsApi.DecideAsync(Tenant, _flowId, _invoiceId, true, new DecisionRequest("agreed terms"), Maria, Harness.Store,
                sp.GetRequiredService<SagaCollection<QuoteToCashState>>(), sp.GetRequiredService<IUnitOfWork>(), Harness.Time, Ct));
            await _flows.PublishedAsync<PostInvoice>();
        }
        await Harness.DeliverAsync(new InvoicePosted
        {
            TenantId = Tenant, FlowId = _flowId, InvoiceId = _invoiceId, AccountingInvoiceId = "130", DocNumber = "1042", Total = 18_500m,
            Balance = 18_500m, PostedAt = Harness.Time.GetUtcNow(),
        });
        await _flows.InStateAsync(_flowId, FlowStage.Posted);
    }

    private CreditMemoPosted CreditPosted(Guid adjustmentId, decimal amount, decimal balance, decimal unapplied = 0m) => new()
    {
        TenantId = Tenant, FlowId = _flowId, CreditMemoId = adjustmentId, InvoiceId = _invoiceId, AccountingCreditMemoId = "140",
        AccountingInvoiceId = "130", DocNumber = "CM-1", Amount = amount, AppliedAmount = amount - unapplied, UnappliedCredit = unapplied,
        InvoiceBalance = balance, PostedAt = Harness.Time.GetUtcNow(),
    };

    [Fact]
    public async Task A_partial_credit_is_sent_with_the_invoices_items_and_lowers_its_balance()
    {
        await PostedInvoice();

        var accepted = await Request(Ben, AdjustmentKind.Credit, new AdjustmentRequest(1_500m, "two workshop days not delivered"));
        var adjustment = Assert.IsType<Accepted<AdjustmentView>>(accepted.Result).Value!;

        var credit = Assert.Single(await _flows.PublishedAsync<PostCreditMemo>());
        Assert.Equal((adjustment.AdjustmentId, _invoiceId, "130", "58", false), (credit.CreditMemoId, credit.InvoiceId, credit.AccountingInvoiceId, credit.CustomerRef, credit.WriteOff));
        Assert.Equal(1_500m, credit.Lines.Sum(l => l.Amount));
        Assert.All(credit.Lines, l => Assert.Equal("1", l.ItemRef));
        Assert.Contains("deal:hubspot:deal-9001", credit.PrivateNote);

        await Harness.DeliverAsync(CreditPosted(adjustment.AdjustmentId, 1_500m, 17_000m));

        var invoice = Assert.Single((await _flows.FlowAsync(_flowId)).Invoices);
        Assert.Equal((17_000m, 1_500m, InvoiceStatus.Posted), (invoice.Balance, invoice.Credited, invoice.Status));
    }

    [Fact]
    public async Task A_full_credit_settles_the_invoice_and_closes_the_flow()
    {
        await PostedInvoice();

        var adjustment = Assert.IsType<Accepted<AdjustmentView>>((await Request(Ben, AdjustmentKind.Credit, new AdjustmentRequest(null, "project cancelled"))).Result).Value!;
        Assert.Equal(18_500m, adjustment.Amount);
        await _flows.PublishedAsync<PostCreditMemo>();
        await Harness.DeliverAsync(CreditPosted(adjustment.AdjustmentId, 18_500m, 0m));

        await _flows.InStateAsync(_flowId, FlowStage.Closed);
        Assert.Equal(InvoiceStatus.Credited, Assert.Single((await _flows.FlowAsync(_flowId)).Invoices).Status);
    }

    [Fact]
    public async Task Credits_beyond_what_is_owed_or_on_an_invoice_not_in_quickbooks_are_refused()
    {
        await Harness.DeliverAsync(ErpRolloutWon());
        await Harness.DeliverAsync(ContosoReady(_flowId, ContosoId));
        _invoiceId = Assert.Single((await _flows.FlowAsync(_flowId)).Invoices).Draft.InvoiceId;

        var notPosted = await Request(Ben, AdjustmentKind.Credit, new AdjustmentRequest(100m, "goodwill"));
        Assert.Contains("in QuickBooks", Assert.IsType<ValidationProblem>(notPosted.Result).ProblemDetails.Errors["amount"][0]);

        await Harness.DeliverAsync(new InvoicePosted
        {
            TenantId = Tenant, FlowId = _flowId, InvoiceId = _invoiceId, AccountingInvoiceId = "130", DocNumber = "1042", Total = 18_500m,
            Balance = 18_500m, PostedAt = Harness.Time.GetUtcNow(),
        });
        Assert.IsType<Accepted<AdjustmentView>>((await Request(Ben, AdjustmentKind.Credit, new AdjustmentRequest(18_000m, "goodwill"))).Result);
        await _flows.FlowWhenAsync(_flowId, f => f.Adjustments.Count == 1);
        var tooMuch = await Request(Ben, AdjustmentKind.Credit, new AdjustmentRequest(600m, "more goodwill"));
        Assert.Contains("owes 500", Assert.IsType<ValidationProblem>(tooMuch.Result).ProblemDetails.Errors["amount"][0]);
        var noReason = await Request(Ben, AdjustmentKind.Credit, new AdjustmentRequest(1.005m, " "));
        Assert.Equal(["amount", "reason"], Assert.IsType<ValidationProblem>(noReason.Result).ProblemDetails.Errors.Keys.Order());
        var missing = await Request(Ben, AdjustmentKind.Credit, new AdjustmentRequest(1m, "x"), invoiceId: Guid.NewGuid());
        Assert.Equal(404, Assert.IsType<ProblemHttpResult>(missing.Result).StatusCode);
    }

    [Fact]
    public async Task The_same_request_sent_twice_is_one_credit()
    {
        await PostedInvoice();

        await Request(Ben, AdjustmentKind.Credit, new AdjustmentRequest(100m, "rounding goodwill", RequestId: "ticket-77"));
        await _flows.PublishedAsync<RequestAdjustmentMessage>();
        await Request(Ben, AdjustmentKind.Credit, new AdjustmentRequest(100m, "rounding goodwill", RequestId: "ticket-77"));
        await _flows.PublishedAsync<RequestAdjustmentMessage>(2);

        Assert.Single((await _flows.FlowAsync(_flowId)).Adjustments);
        Assert.Single(await _flows.PublishedAsync<PostCreditMemo>());
    }

    [Fact]
    public async Task A_write_off_waits_for_a_finance_manager_who_neither_asked_for_it_nor_approved_the_credit_terms()
    {
        await PostedInvoice(throughApproval: true); // maria approved the invoice's non-standard terms
        var writeOff = Assert.IsType<Accepted<AdjustmentView>>((await Request(Omar, AdjustmentKind.WriteOff, new AdjustmentRequest(null, "customer insolvent"))).Result).Value!;
        Assert.Equal("AwaitingApproval", writeOff.Status);
        await _flows.FlowWhenAsync(_flowId, f => f.Adjustments.Count == 1);
        Assert.Empty(Harness.Published<PostCreditMemo>());

        var own = await Decide(Omar, writeOff.AdjustmentId);
        var termsApprover = await Decide(Maria, writeOff.AdjustmentId);
        Assert.Equal((403, 403), (Assert.IsType<ProblemHttpResult>(own.Result).StatusCode, Assert.IsType<ProblemHttpResult>(termsApprover.Result).StatusCode));

        Assert.IsType<Accepted<AdjustmentView>>((await Decide(Operators.User("lena", Roles.FinanceManager), writeOff.AdjustmentId)).Result);

        var credit = Assert.Single(await _flows.PublishedAsync<PostCreditMemo>());
        Assert.True(credit.WriteOff);
        Assert.Equal(18_500m, credit.Lines.Sum(l => l.Amount));
        Assert.Contains("approved by lena", credit.PrivateNote);
    }

    [Fact]
    public async Task An_overpayment_can_be_refunded_but_no_more_than_it()
    {
        await PostedInvoice();
        await Harness.DeliverAsync(new PaymentReceived
        {
            TenantId = Tenant, FlowId = _flowId, InvoiceId = _invoiceId, AccountingPaymentId = "201", Amount = 19_000m, RemainingBalance = 0m,
            Currency = Currency, ReceivedAt = Harness.Time.GetUtcNow(),
        });

        var tooMuch = await Request(Maria, AdjustmentKind.Refund, new AdjustmentRequest(600m, "overpaid"));
        Assert.Contains("500", Assert.IsType<ValidationProblem>(tooMuch.Result).ProblemDetails.Errors["amount"][0]);
        var refund = Assert.IsType<Accepted<AdjustmentView>>((await Request(Maria, AdjustmentKind.Refund, new AdjustmentRequest(500m, "overpaid", PaymentMethod: "Check"))).Result).Value!;

        var issue = Assert.Single(await _flows.PublishedAsync<IssueRefund>());
        Assert.Equal((refund.AdjustmentId, 500m, "Check", "58"), (issue.RefundId, issue.Amount, issue.PaymentMethod, issue.CustomerRef));

        await Harness.DeliverAsync(new RefundIssued
        {
            TenantId = Tenant, FlowId = _flowId, RefundId = refund.AdjustmentId, AccountingRefundReceiptId = "150", DocNumber = "R-1", Amount = 500m,
            DepositToAccountRef = "35", IssuedAt = Harness.Time.GetUtcNow(),
        });
        var flow = await _flows.FlowAsync(_flowId);
        Assert.Equal(0m, Assert.Single(flow.Invoices).UnappliedCredit);
        Assert.Equal(AdjustmentStatus.Posted, Assert.Single(flow.Adjustments).Status);
    }

    [Fact]
    public async Task A_credit_quickbooks_refuses_is_marked_failed_with_its_reason()
    {
        await PostedInvoice();
        var credit = Assert.IsType<Accepted<AdjustmentView>>((await Request(Ben, AdjustmentKind.Credit, new AdjustmentRequest(100m, "goodwill"))).Result).Value!;
        await _flows.PublishedAsync<PostCreditMemo>();

        await Harness.DeliverAsync(new AdjustmentFailed
        {
            TenantId = Tenant, FlowId = _flowId, AdjustmentId = credit.AdjustmentId, Adjustment = "CreditMemo", Kind = "ClosedPeriod",
            Message = "The books are closed through 2026-02-28", FailedAt = Harness.Time.GetUtcNow(),
        });

        var flow = await _flows.FlowAsync(_flowId);
        var adjustment = Assert.Single(flow.Adjustments);
        Assert.Equal((AdjustmentStatus.Failed, "ClosedPeriod"), (adjustment.Status, adjustment.FailureKind));
        Assert.Contains(flow.Alerts, a => a.Message.Contains("closed through", StringComparison.Ordinal));
    }
}
