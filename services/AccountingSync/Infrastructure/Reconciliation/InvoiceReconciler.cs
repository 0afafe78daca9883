using System.Text.Json;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Domain.Inbound;
using QuoteToCash.AccountingSync.Domain.Reconciliation;
using QuoteToCash.AccountingSync.Infrastructure.Inbound;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.Reconciliation;

/// <summary>
/// Compares every invoice posted for a tenant with QuickBooks (ACC-6): the index of posted invoices (completed first from
/// the posting queue, for invoices posted before it existed) is read in pages of <c>select * from Invoice where Id IN (…)</c>
/// through the rate governor, and each invoice is judged by <see cref="DriftRules"/>. Every drift is recorded on the run and
/// opens a <see cref="SyncExceptionKind.ReconciliationDrift"/> exception; the invoice as QuickBooks holds it is then applied
/// like any inbound change (<see cref="ApplyQuickBooksChange"/>), which is the catch-up: a missed payment publishes its
/// PaymentReceived, a missed void or deletion its InvoiceVoided, an edit its ManualEditConflict. An invoice that drifted in
/// the previous run and no longer does resolves its exception (<see cref="SyncSucceeded"/>).
/// </summary>
public sealed class InvoiceReconciler(QboClient client, IUnitOfWork unitOfWork, ReconciliationOptions options, TimeProvider time)
{
    public const string Operation = "Reconcile";

    /// <summary>
    /// Runs the comparison and fills <paramref name="run"/>; the caller commits the unit of work. All QuickBooks reads come
    /// before the first write or message, so a <see cref="QboException"/> leaves the unit of work untouched.
    /// </summary>
    public async Task RunAsync(ReconciliationRun run, CancellationToken cancellationToken)
    {
        var tenantId = run.TenantId;
        var store = unitOfWork.Store;
        var now = time.GetUtcNow();
        var index = (await store.Collection<PostedInvoice>(PostedInvoice.CollectionName).FindAsync(p => p.TenantId == tenantId, cancellationToken: cancellationToken))
            .ToDictionary(d => d.Value.AccountingInvoiceId, d => d.Value, StringComparer.Ordinal);
        var backfilled = new List<PostedInvoice>();
        foreach (var pending in await store.Collection<PendingInvoice>(PendingInvoice.CollectionName)
                     .FindAsync(p => p.TenantId == tenantId && p.Status == PostingStatus.Posted, cancellationToken: cancellationToken))
        {
            if (pending.Value.AccountingInvoiceId is not { } id || index.ContainsKey(id))
                continue;
            var entry = PostedInvoiceIndex.FromPending(pending.Value, now.UtcDateTime);
            index[id] = entry;
            backfilled.Add(entry);
        }

        var toCheck = index.Values.Where(p => p.State != PostedInvoiceState.Deleted).OrderBy(p => long.TryParse(p.AccountingInvoiceId, out var n) ? n : long.MaxValue).ToList();
        var observed = new Dictionary<string, QboInvoice>(StringComparer.Ordinal);
        foreach (var page in IdPages.Split(toCheck.Select(p => p.AccountingInvoiceId), options.MaxIdsPerQuery, options.MaxQueryLength))
        {
            var answer = await client.QueryAsync<QboInvoice>(tenantId, QboQuery.From("Invoice").In("Id", page).Page(1, page.Count), cancellationToken);
            run.Queries++;
            foreach (var invoice in answer.Items.Where(i => i.Id is not null))
                observed[invoice.Id!] = invoice;
        }

        // Every QuickBooks read is done; only now is anything written or published, so a run stopped by QuickBooks leaves nothing behind.
        foreach (var entry in backfilled)
            unitOfWork.Insert(PostedInvoice.CollectionName, PostedInvoice.Key(tenantId, entry.AccountingInvoiceId), entry);
        var previouslyDrifting = await PreviouslyDriftingAsync(tenantId, run.RunId, cancellationToken);
        foreach (var posted in toCheck)
        {
            run.InvoicesChecked++;
            var invoice = observed.GetValueOrDefault(posted.AccountingInvoiceId);
            var drifts = DriftRules.Compare(
                new ExpectedInvoice(posted.State, posted.Posted.Total, posted.Balance, posted.Posted.CustomerRef),
                invoice is null ? null : new ObservedInvoice(invoice.TotalAmt ?? 0m, invoice.Balance ?? 0m,
                    InvoiceLifecycle.IsVoided(invoice.PrivateNote, invoice.TotalAmt), invoice.CustomerRef?.Value));
            if (drifts.Count == 0)
            {
                if (previouslyDrifting.Contains(posted.InvoiceId))
                {
                    unitOfWork.Publish(new SyncSucceeded
                    {
                        TenantId = tenantId, Entity = "Invoice", EntityId = posted.InvoiceId.ToString("D"), Operation = Operation,
                        AccountingId = posted.AccountingInvoiceId, SucceededAt = now,
                    });
                }
                continue;
            }
            foreach (var drift in drifts)
                run.Drifts.Add(Record(posted, drift));
            unitOfWork.Publish(DriftException(posted, drifts, now));
            unitOfWork.Publish(new ApplyQuickBooksChange
            {
                TenantId = tenantId,
                Entity = "Invoice",
                EntityId = posted.AccountingInvoiceId,
                Deleted = invoice is null,
                Payload = invoice is null ? null : JsonSerializer.Serialize(invoice, QboClient.Json),
                Source = InboundSources.Reconciliation,
            });
        }
        run.Status = ReconciliationStatus.Completed;
        run.Finished = time.GetUtcNow().UtcDateTime;
    }

    private async Task<HashSet<Guid>> PreviouslyDriftingAsync(string tenantId, Guid runId, CancellationToken cancellationToken)
    {
        var latest = await unitOfWork.Store.Collection<LatestReconciliation>(LatestReconciliation.CollectionName).GetAsync(tenantId, cancellationToken);
        if (latest is null || latest.Value.RunId == runId)
            return [];
        var previous = await unitOfWork.Store.Collection<ReconciliationRun>(ReconciliationRun.CollectionName).GetAsync(latest.Value.RunId.ToString("D"), cancellationToken);
        return previous is { Value.Status: ReconciliationStatus.Completed } ? previous.Value.Drifts.Select(d => d.InvoiceId).ToHashSet() : [];
    }

    private static ReconciliationDrift Record(PostedInvoice posted, InvoiceDrift drift) => new()
    {
        InvoiceId = posted.InvoiceId,
        FlowId = posted.FlowId,
        DealRef = posted.DealRef,
        AccountingInvoiceId = posted.AccountingInvoiceId,
        DocNumber = posted.DocNumber,
        Kind = drift.Kind,
        ExpectedAmount = drift.ExpectedAmount,
        ActualAmount = drift.ActualAmount,
        ExpectedValue = drift.ExpectedValue,
        ActualValue = drift.ActualValue,
        Currency = posted.Currency,
        Message = drift.Describe(),
    };

    private static OpenSyncException DriftException(PostedInvoice posted, IReadOnlyList<InvoiceDrift> drifts, DateTimeOffset now) => new()
    {
        TenantId = posted.TenantId,
        Kind = SyncExceptionKind.ReconciliationDrift,
        Entity = "Invoice",
        EntityId = posted.InvoiceId.ToString("D"),
        Operation = Operation,
        FlowId = posted.FlowId,
        DealRef = posted.DealRef,
        AccountingId = posted.AccountingInvoiceId,
        Message = $"Reconciliation found that invoice {posted.DocNumber ?? posted.AccountingInvoiceId}" +
                  (posted.DealRef is { } deal ? $" (deal {deal})" : string.Empty) + " differs from QuickBooks: " +
                  string.Join("; ", drifts.Select(d => d.Describe())) + $" (amounts in {posted.Currency}).",
        SuggestedFix = drifts.Any(d => d.Kind is DriftKind.BalanceLower or DriftKind.StatusChanged or DriftKind.Missing)
            ? "The platform has caught up with QuickBooks' payments, voids and deletions for this invoice; check that the deal in the CRM now shows the same, then resolve this exception."
            : "Open the invoice in QuickBooks and compare it with the deal in the CRM; correct whichever is wrong (never both), then resolve this exception. The next reconciliation resolves it by itself once they agree.",
        Detail = string.Join("; ", drifts.Select(d => $"{d.Kind}: expected {d.ExpectedAmount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? d.ExpectedValue}, " +
                                                      $"QuickBooks {d.ActualAmount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? d.ActualValue}")),
        OccurredAt = now,
    };
}
