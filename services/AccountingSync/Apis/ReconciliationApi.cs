using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Infrastructure.Reconciliation;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.ServiceDefaults.Apis;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Apis;

/// <summary>
/// Reconciliation of posted invoices with QuickBooks (ACC-6): start a run now, and read a run's drift report or the latest.
/// A run is asynchronous: <c>POST</c> answers 202 with the queued run and its address; the report is there once its status
/// is Completed (or Failed, with the reason).
/// </summary>
public static class ReconciliationApi
{
    public static IEndpointRouteBuilder MapReconciliationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/accounting/{tenant}/reconciliation").RequireTenantAccess().WithTags("QuickBooks reconciliation");
        api.MapPost("", StartRun).RequireAuthorization(Policies.Finance);
        api.MapGet("/runs/{runId:guid}", GetRun);
        api.MapGet("/latest", GetLatest);
        return app;
    }

    /// <summary>A reconciliation run and what it found.</summary>
    /// <param name="Status">Queued, Completed or Failed.</param>
    /// <param name="Trigger">daily, on-demand or cdc-gap.</param>
    public sealed record ReconciliationRunView(Guid RunId, string TenantId, string Trigger, string Status, string? RequestedBy, DateTime Requested,
        DateTime? Finished, int InvoicesChecked, int Queries, int DriftCount, IReadOnlyList<ReconciliationDriftView> Drifts, string? Error);

    /// <summary>
    /// One invoice's difference: amounts (total, balance) typed in the invoice's currency, states and customers as text.
    /// </summary>
    /// <param name="Kind">Missing, TotalChanged, BalanceLower, BalanceHigher, StatusChanged or CustomerChanged.</param>
    public sealed record ReconciliationDriftView(Guid InvoiceId, Guid FlowId, string? DealRef, string AccountingInvoiceId, string? DocNumber, string Kind,
        decimal? ExpectedAmount, decimal? ActualAmount, string? ExpectedValue, string? ActualValue, string Currency, string Message);

    public static async Task<Results<Accepted<ReconciliationRunView>, ProblemHttpResult>> StartRun(string tenant, IDocumentStore store, IUnitOfWork unitOfWork,
        ClaimsPrincipal user, TimeProvider time, CancellationToken cancellationToken)
    {
        var connection = await store.Collection<QboConnection>(QboConnection.CollectionName).GetAsync(tenant, cancellationToken);
        if (connection is null)
            return ApiProblems.NotFound("Not connected to QuickBooks", $"Tenant '{tenant}' has no QuickBooks connection, so there is nothing to reconcile.");
        if (connection.Value.Status != QboConnectionStatus.Connected)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "QuickBooks needs re-authorisation",
                detail: "The QuickBooks connection must be re-authorised before invoices can be compared; reconnect the company, then start the reconciliation again.");
        var run = new ReconciliationRun
        {
            RunId = Guid.NewGuid(),
            TenantId = tenant,
            Trigger = "on-demand",
            RequestedBy = user.Identity?.Name ?? user.FindFirstValue("sub"),
            Status = ReconciliationStatus.Queued,
            Requested = time.GetUtcNow().UtcDateTime,
        };
        unitOfWork.Insert(ReconciliationRun.CollectionName, run.RunId.ToString("D"), run);
        unitOfWork.Upsert(LatestReconciliation.CollectionName, tenant, new LatestReconciliation { TenantId = tenant, RunId = run.RunId });
        unitOfWork.Publish(new ReconcileInvoices { TenantId = tenant, RunId = run.RunId, Trigger = run.Trigger, RequestedBy = run.RequestedBy });
        await unitOfWork.CommitAsync(cancellationToken);
        return TypedResults.Accepted($"/api/accounting/{Uri.EscapeDataString(tenant)}/reconciliation/runs/{run.RunId:D}", View(run));
    }

    public static Task<Results<Ok<ReconciliationRunView>, ProblemHttpResult>> GetRun(string tenant, Guid runId, IDocumentStore store, CancellationToken cancellationToken) =>
        store.ViewOrNotFoundAsync<ReconciliationRun, ReconciliationRunView>(ReconciliationRun.CollectionName, runId.ToString("D"), tenant, r => r.TenantId, View,
            "No such reconciliation run", $"Tenant '{tenant}' has no reconciliation run '{runId}'.", cancellationToken);

    public static async Task<Results<Ok<ReconciliationRunView>, ProblemHttpResult>> GetLatest(string tenant, IDocumentStore store, CancellationToken cancellationToken)
    {
        var latest = await store.Collection<LatestReconciliation>(LatestReconciliation.CollectionName).GetAsync(tenant, cancellationToken);
        if (latest is null)
            return ApiProblems.NotFound("No reconciliation yet", $"Tenant '{tenant}' has not been reconciled with QuickBooks yet.");
        return await GetRun(tenant, latest.Value.RunId, store, cancellationToken);
    }

    public static ReconciliationRunView View(ReconciliationRun run) => new(run.RunId, run.TenantId, run.Trigger, run.Status.ToString(), run.RequestedBy, run.Requested,
        run.Finished, run.InvoicesChecked, run.Queries, run.Drifts.Count,
        run.Drifts.Select(d => new ReconciliationDriftView(d.InvoiceId, d.FlowId, d.DealRef, d.AccountingInvoiceId, d.DocNumber, d.Kind.ToString(),
            d.ExpectedAmount, d.ActualAmount, d.ExpectedValue, d.ActualValue, d.Currency, d.Message)).ToList(), run.Error);
}
