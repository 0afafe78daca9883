using MassTransit;
using Microsoft.Extensions.Options;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Infrastructure.Reconciliation;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.Contracts;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.AccountingSync.Consumers;

/// <summary>
/// Runs a reconciliation (<see cref="InvoiceReconciler"/>) and stores its report, committed with the exceptions and
/// catch-up changes it publishes. The run of an API request exists already (queued); the daily job's run gets an ID
/// derived from the job's message, so a re-delivered message finds its run finished and does nothing.
/// </summary>
public sealed class ReconciliationConsumer(QboClient client, IUnitOfWork unitOfWork, IOptions<ReconciliationOptions> options, TimeProvider time,
    ILogger<ReconciliationConsumer> logger) : IConsumer<ReconcileInvoices>
{
    public async Task Consume(ConsumeContext<ReconcileInvoices> context)
    {
        var request = context.Message;
        var token = context.CancellationToken;
        var store = unitOfWork.Store;
        var runId = request.RunId ?? DeterministicId.Create("qbo-reconciliation", request.TenantId, (context.MessageId ?? Guid.Empty).ToString("N"));
        var key = runId.ToString("D");
        var loaded = await store.Collection<ReconciliationRun>(ReconciliationRun.CollectionName).GetAsync(key, token);
        if (loaded is { Value.Status: not ReconciliationStatus.Queued })
            return;
        var run = loaded?.Value ?? new ReconciliationRun
        {
            RunId = runId,
            TenantId = request.TenantId,
            Trigger = request.Trigger,
            RequestedBy = request.RequestedBy,
            Status = ReconciliationStatus.Queued,
            Requested = time.GetUtcNow().UtcDateTime,
        };
        if (run.TenantId != request.TenantId)
            return;

        var connection = await store.Collection<QboConnection>(QboConnection.CollectionName).GetAsync(request.TenantId, token);
        if (connection is null && request.RunId is null)
        {
            unitOfWork.CancelScheduled(ReconciliationOptions.DailyJobId(request.TenantId)); // disconnected: no more daily runs
            return;
        }
        if (connection is not { Value.Status: QboConnectionStatus.Connected })
        {
            Fail(run, "The tenant is not connected to QuickBooks, or its connection needs re-authorisation; reconnect it and run the reconciliation again.");
        }
        else
        {
            try
            {
                await new InvoiceReconciler(client, unitOfWork, options.Value, time).RunAsync(run, token);
            }
            catch (QboException fault) when (fault.Kind == QboErrorKind.Authentication)
            {
                // The reconciler reads everything before it writes or publishes anything: the report says why, and nothing else is kept.
                DiscardPartial(run);
                Fail(run, "QuickBooks refused the connection's authorisation during the run; reconnect the company and run the reconciliation again.");
                logger.LogWarning("Reconciliation {RunId} of tenant {Tenant} stopped: {Reason}", runId, request.TenantId, fault.Message);
            }
        }
        unitOfWork.InsertOrReplace(ReconciliationRun.CollectionName, key, loaded, run);
        unitOfWork.Upsert(LatestReconciliation.CollectionName, request.TenantId, new LatestReconciliation { TenantId = request.TenantId, RunId = runId });
        logger.LogInformation("Reconciliation {RunId} of tenant {Tenant}: {Status}, {Checked} invoices checked, {Drifts} drifts",
            runId, request.TenantId, run.Status, run.InvoicesChecked, run.Drifts.Count);
    }

    private void Fail(ReconciliationRun run, string reason)
    {
        run.Status = ReconciliationStatus.Failed;
        run.Error = reason;
        run.Finished = time.GetUtcNow().UtcDateTime;
    }

    private static void DiscardPartial(ReconciliationRun run)
    {
        run.Drifts.Clear();
        run.InvoicesChecked = 0;
    }
}
