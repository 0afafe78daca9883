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

/// <summary>The flows of a tenant: one, a filtered list, the stuck and held ones, a retainer's balance, and releasing a hold.</summary>
public static class FlowsApi
{
    public static IEndpointRouteBuilder MapFlowsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/billing/{tenant}").RequireTenantAccess().WithTags("Flows");
        api.MapGet("/flows/{flowId:guid}", GetFlow).WithSummary("One deal's quote-to-cash flow with its invoices");
        api.MapGet("/flows", ListFlows).WithSummary("Flows by state, stuck or held, newest first");
        api.MapGet("/flows/{flowId:guid}/retainer", GetRetainer).WithSummary("A retainer's balance and every deposit and drawdown");
        app.MapGroup("/api/billing/{tenant}").RequireTenantAccess(Policies.Finance).WithTags("Flows")
            .MapPost("/flows/{flowId:guid}/retry", Retry).WithSummary("Release a held flow: draft and post again");
        return app;
    }

    public static Task<Results<Ok<FlowView>, ProblemHttpResult>> GetFlow(string tenant, Guid flowId, IDocumentStore store,
        SagaCollection<QuoteToCashState> sagas, CancellationToken cancellationToken) =>
        store.ViewOrNotFoundAsync<QuoteToCashState, FlowView>(sagas.Name, flowId.ToString("D"), tenant, f => f.TenantId, FlowView.From,
            "Flow not found", $"No quote-to-cash flow {flowId} in tenant '{tenant}'.", cancellationToken);

    /// <summary>Lists flows; <paramref name="stuck"/> keeps those reported stuck, <paramref name="held"/> those held for any reason.</summary>
    public static async Task<Ok<List<FlowView>>> ListFlows(string tenant, string? state, IDocumentStore store,
        SagaCollection<QuoteToCashState> sagas, CancellationToken cancellationToken, bool stuck = false, bool held = false, int limit = 100)
    {
        var collection = store.Collection<QuoteToCashState>(sagas.Name);
        var found = string.IsNullOrEmpty(state)
            ? await collection.FindAsync(f => f.TenantId == tenant, 10_000, cancellationToken)
            : await collection.FindAsync(f => f.TenantId == tenant && f.CurrentState == state, 10_000, cancellationToken);
        return TypedResults.Ok(found.Select(d => d.Value)
            .Where(f => !stuck || f.StuckSince is not null)
            .Where(f => !held || f.Hold != HoldReason.None || f.CurrentState == nameof(FlowStage.CustomerOnHold))
            .OrderByDescending(f => f.Updated)
            .Take(Math.Clamp(limit, 1, 1000))
            .Select(FlowView.From)
            .ToList());
    }

    public static async Task<Results<Ok<RetainerView>, ProblemHttpResult>> GetRetainer(string tenant, Guid flowId, IDocumentStore store,
        SagaCollection<QuoteToCashState> sagas, CancellationToken cancellationToken)
    {
        var flow = await store.Collection<QuoteToCashState>(sagas.Name).GetAsync(flowId.ToString("D"), cancellationToken);
        if (flow is null || flow.Value.TenantId != tenant)
            return ApiProblems.NotFound("Flow not found", $"No quote-to-cash flow {flowId} in tenant '{tenant}'.");
        if (flow.Value.Contract?.Retainer is not { } retainer)
            return ApiProblems.NotFound("No retainer", $"Flow {flowId} is billed as {flow.Value.BillingModel}, not as a retainer.");
        return TypedResults.Ok(RetainerView.From(flowId, flow.Value.Currency, retainer));
    }

    /// <summary>Releases a flow held for mapping, posting failure, closed books or currency; the CRM lifts reopen and loss holds.</summary>
    public static async Task<Results<Accepted<RetryView>, ProblemHttpResult>> Retry(string tenant, Guid flowId, ClaimsPrincipal user,
        IDocumentStore store, SagaCollection<QuoteToCashState> sagas, IUnitOfWork unitOfWork, CancellationToken cancellationToken)
    {
        var flow = await store.Collection<QuoteToCashState>(sagas.Name).GetAsync(flowId.ToString("D"), cancellationToken);
        if (flow is null || flow.Value.TenantId != tenant)
            return ApiProblems.NotFound("Flow not found", $"No quote-to-cash flow {flowId} in tenant '{tenant}'.");
        if (flow.Value.Hold is HoldReason.None or HoldReason.DealReopened or HoldReason.DealLostAfterInvoicing)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to release",
                detail: flow.Value.Hold == HoldReason.None
                    ? $"Flow {flowId} is not held (it is {flow.Value.CurrentState})."
                    : $"Flow {flowId} is held because {string.Join("; ", flow.Value.HoldDetails)}; the CRM lifts this hold.");
        var by = ApprovalsApi.Actor(user);
        unitOfWork.Publish(new RetryHeldFlow { TenantId = tenant, FlowId = flowId, Reason = "released by finance", By = by });
        await unitOfWork.CommitAsync(cancellationToken);
        return TypedResults.Accepted($"/api/billing/{tenant}/flows/{flowId}", new RetryView(flowId, flow.Value.Hold.ToString(), by));
    }
}

public sealed record RetryView(Guid FlowId, string ReleasedHold, string By);

/// <summary>A retainer's position: deposits (with replenishments) = drawdowns + balance, always.</summary>
public sealed record RetainerView(Guid FlowId, string Currency, decimal Balance, decimal Deposited, decimal DrawnDown,
    IReadOnlyList<RetainerEntryView> Entries)
{
    public static RetainerView From(Guid flowId, string currency, RetainerAccount retainer) => new(flowId, currency, retainer.Balance,
        retainer.Deposited, retainer.DrawnDown,
        retainer.Entries.Select(e => new RetainerEntryView(e.Date, e.Kind.ToString(), e.Amount, e.BalanceAfter, e.Reference)).ToList());
}

public sealed record RetainerEntryView(DateOnly Date, string Kind, decimal Amount, decimal BalanceAfter, string? Reference);
