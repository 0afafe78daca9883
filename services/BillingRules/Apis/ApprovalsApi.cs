using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.BillingRules.Domain;
using QuoteToCash.BillingRules.Messages;
using QuoteToCash.BillingRules.Sagas;
using QuoteToCash.ServiceDefaults.Apis;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.BillingRules.Apis;

/// <summary>
/// Invoices waiting for approval, and the decision on each. Segregation of duties is enforced here, before anything is
/// sent, and again by the saga: the approver is neither the invoice's requester nor the deal's owner.
/// </summary>
public static class ApprovalsApi
{
    public static IEndpointRouteBuilder MapApprovalsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/billing/{tenant}").RequireTenantAccess().WithTags("Approvals")
            .MapGet("/approvals", ListPending).WithSummary("Invoices awaiting approval, oldest first, with why and how far from standard");
        var decide = app.MapGroup("/api/billing/{tenant}/flows/{flowId:guid}/invoices/{invoiceId:guid}").RequireTenantAccess(Policies.FinanceManager)
            .WithTags("Approvals");
        decide.MapPost("/approve", (string tenant, Guid flowId, Guid invoiceId, DecisionRequest? request, ClaimsPrincipal user, IDocumentStore store,
                SagaCollection<QuoteToCashState> sagas, IUnitOfWork unitOfWork, TimeProvider time, CancellationToken ct) =>
            DecideAsync(tenant, flowId, invoiceId, true, request, user, store, sagas, unitOfWork, time, ct)).WithSummary("Approve: the invoice is posted");
        decide.MapPost("/reject", (string tenant, Guid flowId, Guid invoiceId, DecisionRequest? request, ClaimsPrincipal user, IDocumentStore store,
                SagaCollection<QuoteToCashState> sagas, IUnitOfWork unitOfWork, TimeProvider time, CancellationToken ct) =>
            DecideAsync(tenant, flowId, invoiceId, false, request, user, store, sagas, unitOfWork, time, ct)).WithSummary("Reject: the invoice is not posted");
        return app;
    }

    public static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? user.FindFirstValue("sub") ?? "unknown";

    public static async Task<Ok<List<PendingApprovalView>>> ListPending(string tenant, IDocumentStore store, SagaCollection<QuoteToCashState> sagas,
        CancellationToken cancellationToken)
    {
        var waiting = nameof(FlowStage.AwaitingApproval);
        var flows = await store.Collection<QuoteToCashState>(sagas.Name)
            .FindAsync(f => f.TenantId == tenant && f.CurrentState == waiting, 10_000, cancellationToken);
        return TypedResults.Ok(flows
            .SelectMany(f => f.Value.Invoices.Where(i => i.Status == InvoiceStatus.AwaitingApproval).Select(i => PendingApprovalView.From(f.Value, i)))
            .OrderBy(p => p.Invoice.DraftedAt)
            .ToList());
    }

    public static async Task<Results<Accepted<DecisionView>, ProblemHttpResult>> DecideAsync(string tenant, Guid flowId, Guid invoiceId, bool approve,
        DecisionRequest? request, ClaimsPrincipal user, IDocumentStore store, SagaCollection<QuoteToCashState> sagas, IUnitOfWork unitOfWork,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var flow = await store.Collection<QuoteToCashState>(sagas.Name).GetAsync(flowId.ToString("D"), cancellationToken);
        if (flow is null || flow.Value.TenantId != tenant || flow.Value.Invoices.Find(i => i.Draft.InvoiceId == invoiceId) is not { } invoice)
            return ApiProblems.NotFound("Invoice not found", $"No invoice {invoiceId} on flow {flowId} in tenant '{tenant}'.");
        if (invoice.Status != InvoiceStatus.AwaitingApproval)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The invoice is not awaiting approval",
                detail: $"Invoice {invoice.Draft.DocNumber ?? invoice.Draft.Key} is {invoice.Status}"
                        + (invoice.DecidedBy is null ? "." : $"; {invoice.DecidedBy} decided it at {invoice.DecidedAt:u}."));
        if (request?.Note is { Length: > 1000 })
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The note is too long", detail: "At most 1,000 characters.");
        var by = Actor(user);
        var sod = ApprovalRules.CanApprove(by, invoice.RequestedBy, flow.Value.OwnerEmail);
        if (!sod.Allowed)
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Segregation of duties", detail: sod.Reason);
        unitOfWork.Publish(new InvoiceApprovalDecided
        {
            TenantId = tenant, FlowId = flowId, InvoiceId = invoiceId, Approved = approve, By = by, Note = request?.Note, At = time.GetUtcNow(),
        });
        await unitOfWork.CommitAsync(cancellationToken);
        return TypedResults.Accepted($"/api/billing/{tenant}/flows/{flowId}", new DecisionView(flowId, invoiceId, approve ? "Approved" : "Rejected", by));
    }
}

public sealed record DecisionRequest(string? Note);

public sealed record DecisionView(Guid FlowId, Guid InvoiceId, string Decision, string By);

/// <summary>An invoice waiting for a finance decision, with its deal and customer.</summary>
public sealed record PendingApprovalView(Guid FlowId, string ExternalDealId, string DealName, string? CustomerDisplayName, string? DealOwner,
    InvoiceView Invoice)
{
    public static PendingApprovalView From(QuoteToCashState flow, FlowInvoice invoice) =>
        new(flow.CorrelationId, flow.ExternalDealId, flow.DealName, flow.CustomerDisplayName, flow.OwnerEmail, InvoiceView.From(invoice));
}
