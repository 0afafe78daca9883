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
/// Lines finance adds to a deal beyond its contract (expenses, a change order): invoiced on their own, and — manual
/// lines being a trigger of the standard policy — only after a finance manager other than the requester approves.
/// </summary>
public static class ManualChargesApi
{
    public const int MaxLines = 50;

    public static IEndpointRouteBuilder MapManualChargesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/billing/{tenant}/flows/{flowId:guid}").RequireTenantAccess(Policies.Finance).WithTags("Manual charges")
            .MapPost("/invoices", AddAsync).WithSummary("Invoice lines the contract does not produce");
        return app;
    }

    public static async Task<Results<Accepted<ManualChargeView>, ValidationProblem, ProblemHttpResult>> AddAsync(string tenant, Guid flowId,
        ManualChargeRequest request, ClaimsPrincipal user, IDocumentStore store, SagaCollection<QuoteToCashState> sagas, IUnitOfWork unitOfWork,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var stored = await store.Collection<QuoteToCashState>(sagas.Name).GetAsync(flowId.ToString("D"), cancellationToken);
        if (stored is null || stored.Value.TenantId != tenant)
            return ApiProblems.NotFound("Flow not found", $"No quote-to-cash flow {flowId} in tenant '{tenant}'.");
        var flow = stored.Value;
        if (flow.Contract is null || flow.CancelledAt is not null)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The flow cannot be billed",
                detail: flow.CancelledAt is not null ? $"Flow {flowId} was cancelled." : $"Flow {flowId} has no won deal yet.");

        var errors = new Dictionary<string, string[]>();
        var lines = request.Lines ?? [];
        if (lines.Count is 0 or > MaxLines)
            errors["lines"] = [$"Give 1–{MaxLines} lines."];
        for (var i = 0; i < Math.Min(lines.Count, MaxLines); i++)
        {
            var line = lines[i];
            if (string.IsNullOrWhiteSpace(line.Description) || line.Description.Length > 4000)
                errors[$"lines[{i}].description"] = ["Each line needs a description (at most 4,000 characters)."];
            if (line.Quantity <= 0m)
                errors[$"lines[{i}].quantity"] = ["The quantity must be greater than zero."];
            if (line.UnitPrice < 0m)
                errors[$"lines[{i}].unitPrice"] = ["The unit price cannot be negative."];
            if (line.DiscountPercent is < 0m or > 100m)
                errors[$"lines[{i}].discountPercent"] = ["The discount is a percentage between 0 and 100."];
            if (line.Product is { } product && (product.Length > 200 || !(product.StartsWith("sku:", StringComparison.Ordinal) || product.StartsWith("id:", StringComparison.Ordinal))))
                errors[$"lines[{i}].product"] = ["A product key such as \"sku:TRAVEL\" or \"id:1234\" (at most 200 characters)."];
        }
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 500)
            errors["reason"] = ["Say why, in 1–500 characters; it is kept with the invoice."];
        if (request.RequestId is { Length: > 100 })
            errors["requestId"] = ["At most 100 characters."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The lines were not added");

        var chargeId = string.IsNullOrWhiteSpace(request.RequestId)
            ? Guid.NewGuid()
            : DeterministicId.Create("manual-charge", tenant, flowId.ToString("N"), request.RequestId.Trim());
        var by = ApprovalsApi.Actor(user);
        var manual = lines.Select(l => new ManualLine(l.Description!.Trim(), l.Product, l.Quantity, l.UnitPrice, l.DiscountPercent ?? 0m)).ToList();
        unitOfWork.Publish(new AddManualCharge
        {
            TenantId = tenant, FlowId = flowId, ChargeId = chargeId, Lines = manual, BillOn = request.BillOn, Reason = request.Reason!.Trim(), By = by,
            At = time.GetUtcNow(),
        });
        await unitOfWork.CommitAsync(cancellationToken);
        var total = manual.Sum(l => Money.LineAmount(l.Quantity, l.UnitPrice, l.DiscountPercent, flow.Currency));
        return TypedResults.Accepted($"/api/billing/{tenant}/flows/{flowId}", new ManualChargeView(flowId, $"manual:{chargeId:N}", total, flow.Currency, by));
    }
}

public sealed record ManualChargeLineRequest(string? Description, decimal Quantity, decimal UnitPrice, decimal? DiscountPercent = null, string? Product = null);

public sealed record ManualChargeRequest(List<ManualChargeLineRequest>? Lines, string? Reason, DateOnly? BillOn = null, string? RequestId = null);

public sealed record ManualChargeView(Guid FlowId, string Key, decimal Total, string Currency, string RequestedBy);
