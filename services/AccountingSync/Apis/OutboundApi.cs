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
/// and adjustments are on their way or refused, and every operation held until what it needs happens, with why.
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
    /// <param name="Held">Operations waiting in the order they will go, oldest first.</param>
    public sealed record OutboundQueueView(string TenantId, bool Paused, long InvoicesQueued, long InvoicesInFlight, long InvoicesRefused, long AdjustmentsQueued,
        long AdjustmentsRefused, IReadOnlyList<HeldOperationView> Held);

    /// <param name="Operation">SendInvoice, PostCreditMemo, IssueRefund, SyncCustomer or PostTimeActivity.</param>
    /// <param name="Reason">WaitingForInvoice or Reauthorization.</param>
    /// <param name="WaitsFor">The invoice it waits for (invoice:{id}), when it waits for one.</param>
    public sealed record HeldOperationView(string Operation, string Subject, string Reason, string? WaitsFor, Guid? FlowId, string Explanation, DateTimeOffset HeldAt);

    public static async Task<Ok<OutboundQueueView>> GetQueue(string tenant, IDocumentStore store, CancellationToken cancellationToken)
    {
        var invoices = store.Collection<PendingInvoice>(PendingInvoice.CollectionName);
        var adjustments = store.Collection<PendingAdjustment>(PendingAdjustment.CollectionName);
        var held = await store.Collection<OutboundHold>(OutboundHold.CollectionName).FindAsync(h => h.TenantId == tenant, cancellationToken: cancellationToken);
        var connection = await store.Collection<QboConnection>(QboConnection.CollectionName).GetAsync(tenant, cancellationToken);
        return TypedResults.Ok(new OutboundQueueView(tenant,
            connection?.Value.Status == QboConnectionStatus.NeedsReauthorization,
            await invoices.CountAsync(p => p.Status == PostingStatus.Queued && p.TenantId == tenant, cancellationToken),
            await invoices.CountAsync(p => p.Status == PostingStatus.InFlight && p.TenantId == tenant, cancellationToken),
            await invoices.CountAsync(p => p.Status == PostingStatus.Failed && p.TenantId == tenant, cancellationToken),
            await adjustments.CountAsync(p => p.Status == PostingStatus.Queued && p.TenantId == tenant, cancellationToken),
            await adjustments.CountAsync(p => p.Status == PostingStatus.Failed && p.TenantId == tenant, cancellationToken),
            held.Select(h => h.Value).OrderBy(h => h.Sequence)
                .Select(h => new HeldOperationView(h.Operation, h.Subject, h.Reason.ToString(), h.WaitsFor, h.FlowId, h.Explanation, h.HeldAt)).ToList()));
    }
}
