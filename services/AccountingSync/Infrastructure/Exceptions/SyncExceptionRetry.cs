using System.Text.Json;
using QuoteToCash.AccountingSync.Consumers;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Infrastructure.Adjustments;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.Contracts.BillingRules;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.Exceptions;

/// <summary>What a retry did: <see cref="Retried"/> says what was sent again; otherwise <see cref="Refusal"/> says why nothing was.</summary>
public sealed record RetryOutcome(string? Retried, string? Refusal)
{
    public static RetryOutcome Done(string what) => new(what, null);

    public static RetryOutcome Refused(string why) => new(null, why);
}

/// <summary>
/// Runs an exception's operation again, the way that operation is idempotent:
/// <list type="bullet">
/// <item>an invoice goes back to its tenant's posting queue: a refused one as its next revision (a new requestid, because
/// QuickBooks answers a repeated requestid with its first answer, the refusal included); one QuickBooks never answered keeps
/// its requestid and only skips the rest of its backoff (a planned batch is resent as it is), so it cannot be posted twice;</item>
/// <item>a credit memo, write-off or refund goes back to the adjustment queue as its next revision, keeping the steps
/// QuickBooks already recorded;</item>
/// <item>a command-run operation (SyncCustomer, SendInvoice, PostTimeActivity, …) is sent again exactly as it was, with
/// the requestids it derives;</item>
/// <item>a billing hold (a missing mapping) sends RetryFlow to billing-rules;</item>
/// <item>a message that landed in an <c>_error</c> queue is published again.</item>
/// </list>
/// The record stays open (or assigned) and is resolved by the success that follows. Everything joins the caller's unit of work.
/// </summary>
public sealed class SyncExceptionRetry(IUnitOfWork unitOfWork, SyncExceptionBook book, TimeProvider time, IServiceProvider services)
{
    public async Task<RetryOutcome> RetryAsync(StoredDocument<SyncExceptionRecord> document, string by, CancellationToken cancellationToken)
    {
        var record = document.Value;
        if (!ExceptionRules.IsActive(record.Status))
            return RetryOutcome.Refused($"The exception is {record.Status.ToString().ToLowerInvariant()} already; there is nothing to retry.");
        if (ExceptionRules.WhyNotRetryable(record.Kind, record.Entity) is { } why)
            return RetryOutcome.Refused(why.Replace("{tenant}", record.TenantId, StringComparison.Ordinal));

        var outcome = (record.Entity, record.Operation) switch
        {
            (InvoicePostingWorker.ExceptionEntity, InvoicePostingWorker.ExceptionOperation) => await RetryInvoiceAsync(document, by, cancellationToken),
            (AdjustmentKinds.CreditMemo or AdjustmentKinds.Refund, _) => await RetryAdjustmentAsync(document, by, cancellationToken),
            (FlowHoldChangedConsumer.Entity, FlowHoldChangedConsumer.Operation) when record.FlowId is { } flowId => RetryFlow(record, flowId, by),
            _ when record.CommandJson is not null => SendAgain(record),
            _ => RetryOutcome.Refused("The platform has nothing it can send again for this exception; fix the cause, then resolve it."),
        };
        if (outcome.Retried is { } what && ExceptionRules.IsActive(record.Status))
            book.Retried(document, by, what);
        return outcome;
    }

    private async Task<RetryOutcome> RetryInvoiceAsync(StoredDocument<SyncExceptionRecord> exception, string by, CancellationToken cancellationToken)
    {
        var stored = await unitOfWork.Store.Collection<PendingInvoice>(PendingInvoice.CollectionName).GetAsync(exception.Value.EntityId, cancellationToken);
        if (stored is not { Value: var invoice } || invoice.TenantId != exception.Value.TenantId)
            return RetryOutcome.Refused("The invoice is not in accounting-sync's posting queue; billing must send it again (retry the flow in billing).");
        switch (invoice.Status)
        {
            case PostingStatus.Posted:
                book.Close(exception, SyncExceptionStatus.Resolved, by,
                    $"nothing to retry: the invoice is already in QuickBooks as {invoice.DocNumber ?? invoice.AccountingInvoiceId}");
                return RetryOutcome.Done($"nothing: already posted as {invoice.DocNumber ?? invoice.AccountingInvoiceId}");
            case PostingStatus.InFlight when invoice.BatchRequestId is { } batchId:
                var batch = await unitOfWork.Store.Collection<PostingBatch>(PostingBatch.CollectionName).GetAsync(batchId, cancellationToken);
                if (batch is not null)
                {
                    batch.Value.NotBefore = null;
                    unitOfWork.Replace(PostingBatch.CollectionName, batch, batch.Value);
                }
                Signal<InvoicePostingSignal>()?.Notify();
                return RetryOutcome.Done($"its QuickBooks batch is sent again now with the same requestid {batchId}");
        }
        var failed = invoice.Status == PostingStatus.Failed;
        if (!PendingInvoiceRetry.Requeue(invoice))
            return RetryOutcome.Refused("The invoice is being sent to QuickBooks right now.");
        unitOfWork.Replace(PendingInvoice.CollectionName, stored, invoice);
        Signal<InvoicePostingSignal>()?.Notify();
        return RetryOutcome.Done(failed
            ? $"queued again as revision {invoice.Revision} (requestid {invoice.RequestId})"
            : $"sent now instead of after its backoff, with the same requestid {invoice.RequestId}");
    }

    private async Task<RetryOutcome> RetryAdjustmentAsync(StoredDocument<SyncExceptionRecord> exception, string by, CancellationToken cancellationToken)
    {
        var stored = await unitOfWork.Store.Collection<PendingAdjustment>(PendingAdjustment.CollectionName).GetAsync(exception.Value.EntityId, cancellationToken);
        if (stored is not { Value: var adjustment } || adjustment.TenantId != exception.Value.TenantId)
            return RetryOutcome.Refused("The adjustment is not in accounting-sync's queue; billing must ask for it again.");
        switch (adjustment.Status)
        {
            case PostingStatus.Posted:
                book.Close(exception, SyncExceptionStatus.Resolved, by, "nothing to retry: the adjustment is already recorded in QuickBooks");
                return RetryOutcome.Done("nothing: already recorded in QuickBooks");
            case PostingStatus.Queued or PostingStatus.InFlight:
                Signal<AdjustmentSignal>()?.Notify();
                return RetryOutcome.Done("nothing new: it is queued already");
        }
        adjustment.Status = PostingStatus.Queued;
        adjustment.Revision++;
        unitOfWork.Replace(PendingAdjustment.CollectionName, stored, adjustment);
        Signal<AdjustmentSignal>()?.Notify();
        return RetryOutcome.Done($"queued again as revision {adjustment.Revision}");
    }

    private RetryOutcome RetryFlow(SyncExceptionRecord record, Guid flowId, string by)
    {
        unitOfWork.Publish(new RetryFlow { TenantId = record.TenantId, FlowId = flowId, RequestedBy = by, ExceptionId = record.ExceptionId, RequestedAt = time.GetUtcNow() });
        return RetryOutcome.Done("billing-rules was asked to retry the flow (RetryFlow)");
    }

    private RetryOutcome SendAgain(SyncExceptionRecord record)
    {
        if (MessageFaults.Resolve(record.CommandType) is not { } type)
            return RetryOutcome.Refused($"The message type '{record.CommandType}' is not one the platform knows any more, so it cannot be sent again.");
        var message = JsonSerializer.Deserialize(record.CommandJson!, type, JsonSerializerOptions.Web)
                      ?? throw new InvalidOperationException($"Exception {record.ExceptionId} holds an empty {type.Name}.");
        unitOfWork.Publish(message);
        return RetryOutcome.Done($"the {type.Name} was sent again");
    }

    private T? Signal<T>() where T : class => services.GetService<T>();
}
