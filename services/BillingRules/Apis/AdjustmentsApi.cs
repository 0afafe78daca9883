using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.BillingRules.Domain;
using QuoteToCash.BillingRules.Messages;
using QuoteToCash.BillingRules.Sagas;
using QuoteToCash.Contracts;
using QuoteToCash.ServiceDefaults.Apis;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.BillingRules.Apis;

/// <summary>
/// Credits, write-offs and refunds on a flow's posted invoices. Each request may carry its own <c>requestId</c>: the
/// same request sent twice is one adjustment. A write-off waits for a finance manager who is neither its requester nor
/// whoever approved the invoice's credit terms.
/// </summary>
public static class AdjustmentsApi
{
    public static IEndpointRouteBuilder MapAdjustmentsApi(this IEndpointRouteBuilder app)
    {
        var finance = app.MapGroup("/api/billing/{tenant}/flows/{flowId:guid}").RequireTenantAccess(Policies.Finance).WithTags("Adjustments");
        finance.MapPost("/invoices/{invoiceId:guid}/credits", (string tenant, Guid flowId, Guid invoiceId, AdjustmentRequest request, ClaimsPrincipal user,
                IDocumentStore store, SagaCollection<QuoteToCashState> sagas, IUnitOfWork unitOfWork, TimeProvider time, CancellationToken ct) =>
            RequestAsync(tenant, flowId, invoiceId, AdjustmentKind.Credit, request, user, store, sagas, unitOfWork, time, ct))
            .WithSummary("Credit all or part of a posted invoice");
        finance.MapPost("/invoices/{invoiceId:guid}/write-offs", (string tenant, Guid flowId, Guid invoiceId, AdjustmentRequest request, ClaimsPrincipal user,
                IDocumentStore store, SagaCollection<QuoteToCashState> sagas, IUnitOfWork unitOfWork, TimeProvider time, CancellationToken ct) =>
            RequestAsync(tenant, flowId, invoiceId, AdjustmentKind.WriteOff, request, user, store, sagas, unitOfWork, time, ct))
            .WithSummary("Ask to write off what an invoice still owes (needs a finance manager's approval)");
        var managers = app.MapGroup("/api/billing/{tenant}/flows/{flowId:guid}").RequireTenantAccess(Policies.FinanceManager).WithTags("Adjustments");
        managers.MapPost("/refunds", (string tenant, Guid flowId, AdjustmentRequest request, ClaimsPrincipal user, IDocumentStore store,
                SagaCollection<QuoteToCashState> sagas, IUnitOfWork unitOfWork, TimeProvider time, CancellationToken ct) =>
            RequestAsync(tenant, flowId, request.InvoiceId, AdjustmentKind.Refund, request, user, store, sagas, unitOfWork, time, ct))
            .WithSummary("Pay back the customer's credit (an overpayment or an applied-beyond-balance credit)");
        managers.MapPost("/adjustments/{adjustmentId:guid}/approve", (string tenant, Guid flowId, Guid adjustmentId, ClaimsPrincipal user, IDocumentStore store,
                SagaCollection<QuoteToCashState> sagas, IUnitOfWork unitOfWork, TimeProvider time, CancellationToken ct) =>
            DecideAsync(tenant, flowId, adjustmentId, true, user, store, sagas, unitOfWork, time, ct)).WithSummary("Approve a write-off");
        managers.MapPost("/adjustments/{adjustmentId:guid}/reject", (string tenant, Guid flowId, Guid adjustmentId, ClaimsPrincipal user, IDocumentStore store,
                SagaCollection<QuoteToCashState> sagas, IUnitOfWork unitOfWork, TimeProvider time, CancellationToken ct) =>
            DecideAsync(tenant, flowId, adjustmentId, false, user, store, sagas, unitOfWork, time, ct)).WithSummary("Reject a write-off");
        return app;
    }

    public static async Task<Results<Accepted<AdjustmentView>, ValidationProblem, ProblemHttpResult>> RequestAsync(string tenant, Guid flowId,
        Guid? invoiceId, AdjustmentKind kind, AdjustmentRequest request, ClaimsPrincipal user, IDocumentStore store, SagaCollection<QuoteToCashState> sagas,
        IUnitOfWork unitOfWork, TimeProvider time, CancellationToken cancellationToken)
    {
        var stored = await store.Collection<QuoteToCashState>(sagas.Name).GetAsync(flowId.ToString("D"), cancellationToken);
        if (stored is null || stored.Value.TenantId != tenant)
            return ApiProblems.NotFound("Flow not found", $"No quote-to-cash flow {flowId} in tenant '{tenant}'.");
        var flow = stored.Value;
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 500)
            errors["reason"] = ["Say why, in 1–500 characters; it is printed on the QuickBooks document."];
        if (request.RequestId is { Length: > 100 })
            errors["requestId"] = ["At most 100 characters."];
        var invoice = invoiceId is { } id ? flow.Invoices.Find(i => i.Draft.InvoiceId == id) : null;
        if (invoiceId is not null && invoice is null)
            return ApiProblems.NotFound("Invoice not found", $"No invoice {invoiceId} on flow {flowId}.");
        decimal amount;
        string? refusal;
        var pending = flow.Adjustments.Where(a => a.Status is AdjustmentStatus.AwaitingApproval or AdjustmentStatus.Requested).ToList();
        if (kind == AdjustmentKind.Refund)
        {
            amount = request.Amount ?? 0m;
            refusal = Adjustments.RefundRefusal(flow.Invoices.Sum(i => i.UnappliedCredit),
                pending.Where(a => a.Kind == AdjustmentKind.Refund).Sum(a => a.Amount), amount, flow.Currency);
        }
        else
        {
            var pendingCredits = pending.Where(a => a.Kind != AdjustmentKind.Refund && a.InvoiceId == invoiceId).Sum(a => a.Amount);
            amount = request.Amount ?? invoice!.Balance - pendingCredits;
            refusal = Adjustments.CreditRefusal(invoice!.Status, invoice.AccountingInvoiceId is not null, invoice.Balance, pendingCredits, amount, flow.Currency);
        }
        if (refusal is not null)
            errors["amount"] = [refusal];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: $"The {kind.ToString().ToLowerInvariant()} was not requested");

        var adjustmentId = string.IsNullOrWhiteSpace(request.RequestId)
            ? Guid.NewGuid()
            : DeterministicId.Create("adjustment", tenant, flowId.ToString("N"), request.RequestId.Trim());
        var by = ApprovalsApi.Actor(user);
        unitOfWork.Publish(new RequestAdjustment
        {
            TenantId = tenant, FlowId = flowId, AdjustmentId = adjustmentId, Kind = kind, InvoiceId = invoiceId, Amount = amount, Reason = request.Reason!.Trim(),
            PaymentMethod = request.PaymentMethod, By = by, At = time.GetUtcNow(),
        });
        await unitOfWork.CommitAsync(cancellationToken);
        return TypedResults.Accepted($"/api/billing/{tenant}/flows/{flowId}", new AdjustmentView(adjustmentId, kind.ToString(),
            kind == AdjustmentKind.WriteOff ? nameof(AdjustmentStatus.AwaitingApproval) : nameof(AdjustmentStatus.Requested), invoiceId, amount,
            request.Reason.Trim(), by, time.GetUtcNow().UtcDateTime, null, null, null, null, 0m, null, null));
    }

    public static async Task<Results<Accepted<AdjustmentView>, ProblemHttpResult>> DecideAsync(string tenant, Guid flowId, Guid adjustmentId, bool approve,
        ClaimsPrincipal user, IDocumentStore store, SagaCollection<QuoteToCashState> sagas, IUnitOfWork unitOfWork, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var stored = await store.Collection<QuoteToCashState>(sagas.Name).GetAsync(flowId.ToString("D"), cancellationToken);
        if (stored is null || stored.Value.TenantId != tenant || stored.Value.Adjustments.Find(a => a.AdjustmentId == adjustmentId) is not { } adjustment)
            return ApiProblems.NotFound("Adjustment not found", $"No adjustment {adjustmentId} on flow {flowId} in tenant '{tenant}'.");
        if (adjustment.Status != AdjustmentStatus.AwaitingApproval)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The adjustment is not awaiting approval",
                detail: $"The {adjustment.Kind.ToString().ToLowerInvariant()} is {adjustment.Status}.");
        var by = ApprovalsApi.Actor(user);
        var termsApprover = stored.Value.Invoices.Find(i => i.Draft.InvoiceId == adjustment.InvoiceId)?.DecidedBy;
        var sod = ApprovalRules.CanApproveWriteOff(by, adjustment.RequestedBy, termsApprover);
        if (!sod.Allowed)
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Segregation of duties", detail: sod.Reason);
        unitOfWork.Publish(new AdjustmentDecided { TenantId = tenant, FlowId = flowId, AdjustmentId = adjustmentId, Approved = approve, By = by, At = time.GetUtcNow() });
        await unitOfWork.CommitAsync(cancellationToken);
        return TypedResults.Accepted($"/api/billing/{tenant}/flows/{flowId}", AdjustmentView.From(adjustment) with
        {
            Status = approve ? nameof(AdjustmentStatus.Requested) : nameof(AdjustmentStatus.Rejected), DecidedBy = by,
        });
    }
}

/// <summary>A credit, write-off or refund request. Amount null credits what the invoice still owes.</summary>
public sealed record AdjustmentRequest(decimal? Amount, string? Reason, string? RequestId = null, Guid? InvoiceId = null, string? PaymentMethod = null);

public sealed record AdjustmentView(Guid AdjustmentId, string Kind, string Status, Guid? InvoiceId, decimal Amount, string Reason, string RequestedBy,
    DateTime RequestedAt, string? DecidedBy, DateTime? DecidedAt, string? AccountingId, string? DocNumber, decimal Applied, string? FailureKind,
    string? FailureMessage)
{
    public static AdjustmentView From(Adjustment a) => new(a.AdjustmentId, a.Kind.ToString(), a.Status.ToString(), a.InvoiceId, a.Amount, a.Reason,
        a.RequestedBy, a.RequestedAt, a.DecidedBy, a.DecidedAt, a.AccountingId, a.DocNumber, a.Applied, a.FailureKind, a.FailureMessage);
}
