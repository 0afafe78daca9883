using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.AccountingSync.Infrastructure.Adjustments;
using QuoteToCash.AccountingSync.Infrastructure.Outbound;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Apis;

/// <summary>
/// The tenant's outbound queue to QuickBooks (ACC-3) as operations see it: whether the realm is paused, how many invoices
/// and adjustments are on their way or refused, and every other operation queued or held, in the order it goes, with why
/// it waits.
/// </summary>
public static class OutboundApi
{
    public static IEndpointRouteBuilder MapOutboundApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/accounting/{tenant}/outbound").RequireTenantAccess().WithTags("QuickBooks outbound queue");
        api.MapGet("", GetQueue);
        return app;
    }

    /// <param name="Paused">The realm's QuickBooks authorisation expired or was revoked: nothing is sent until it is reconnected, and nothing is lost.</param>
    /// <param name="InvoicesRefused">Invoices QuickBooks refused, each with an exception in the exception queue.</param>
    /// <param name="Operations">The other operations, queued or held, in the order they go.</param>
    public sealed record OutboundQueueView(string TenantId, bool Paused, long InvoicesQueued, long InvoicesInFlight, long InvoicesRefused, long AdjustmentsQueued,
        long AdjustmentsRefused, IReadOnlyList<OutboundOperationView> Operations);

    /// <param name="Operation">SyncCustomer, SendInvoice, PostTimeActivity, PostCreditMemo or IssueRefund.</param>
    /// <param name="State">Queued (the worker sends it in turn) or Held (it waits for something else first).</param>
    /// <param name="Reason">Why a held operation waits: WaitingForInvoice.</param>
    /// <param name="WaitsFor">The invoice a held operation waits for (invoice:{id}).</param>
    /// <param name="Explanation">Why it waits, in finance's words; empty for one simply waiting its turn.</param>
    /// <param name="UnansweredAttempts">Attempts in a row QuickBooks did not answer.</param>
    /// <param name="NotBefore">Not sent again before this time (the backoff after an unanswered attempt).</param>
    public sealed record OutboundOperationView(string Operation, string Subject, string State, string? Reason, string? WaitsFor, Guid? FlowId, string Explanation,
        int UnansweredAttempts, DateTime? NotBefore, DateTimeOffset Since);

    public static async Task<Ok<OutboundQueueView>> GetQueue(string tenant, IDocumentStore store, CancellationToken cancellationToken)
    {
        var invoices = store.Collection<PendingInvoice>(PendingInvoice.CollectionName);
        var adjustments = store.Collection<PendingAdjustment>(PendingAdjustment.CollectionName);
        var entries = await store.Collection<OutboundEntry>(OutboundEntry.CollectionName).FindAsync(h => h.TenantId == tenant, cancellationToken: cancellationToken);
        var connection = await store.Collection<QboConnection>(QboConnection.CollectionName).GetAsync(tenant, cancellationToken);
        return TypedResults.Ok(new OutboundQueueView(tenant,
            connection?.Value.Status == QboConnectionStatus.NeedsReauthorization,
            await invoices.CountAsync(p => p.Status == PostingStatus.Queued && p.TenantId == tenant, cancellationToken),
            await invoices.CountAsync(p => p.Status == PostingStatus.InFlight && p.TenantId == tenant, cancellationToken),
            await invoices.CountAsync(p => p.Status == PostingStatus.Failed && p.TenantId == tenant, cancellationToken),
            await adjustments.CountAsync(p => p.Status == PostingStatus.Queued && p.TenantId == tenant, cancellationToken),
            await adjustments.CountAsync(p => p.Status == PostingStatus.Failed && p.TenantId == tenant, cancellationToken),
            entries.Select(e => e.Value).OrderBy(e => e.Sequence)
                .Select(e => new OutboundOperationView(e.Operation, e.Subject, e.State.ToString(), e.Reason?.ToString(), e.WaitsFor, e.FlowId, e.Explanation,
                    e.UnansweredPasses, e.NotBefore, e.HeldAt)).ToList()));
    }
}
