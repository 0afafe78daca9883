using MassTransit;
using QuoteToCash.AccountingSync.Infrastructure.Adjustments;
using QuoteToCash.AccountingSync.Infrastructure.Outbound;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.AccountingSync.Consumers;

/// <summary>
/// Queues a refund durably for its tenant's QuickBooks company; the adjustment worker records it as a RefundReceipt and
/// answers RefundIssued or AdjustmentFailed. The same refund is queued once; a failed one asked for again goes as its
/// next attempt.
/// </summary>
public sealed class IssueRefundConsumer(IUnitOfWork unitOfWork, AdjustmentSignal signal, PostingSequence sequence, TimeProvider time) : IConsumer<IssueRefund>
{
    public async Task Consume(ConsumeContext<IssueRefund> context)
    {
        var command = context.Message;
        var existing = await unitOfWork.Store.Collection<PendingAdjustment>(PendingAdjustment.CollectionName)
            .GetAsync(PendingAdjustment.KeyFor(command.RefundId), context.CancellationToken);
        if ((existing is null or { Value.Status: PostingStatus.Failed }) && command.InvoiceId is { } invoiceId)
        {
            // Its invoice first: one still on its way (or refused) is waited for in the outbound queue instead of failing.
            var decision = await OutboundQueue.HoldUntilInvoicePostedAsync(unitOfWork, sequence, invoiceId, "adjustment:" + command.RefundId.ToString("N"),
                "The refund", command, command.FlowId, time.GetUtcNow(), context.CancellationToken);
            if (!decision.Go)
                return;
        }
        var queued = PendingAdjustment.Queue(unitOfWork, existing, new PendingAdjustment
        {
            AdjustmentId = command.RefundId,
            Kind = AdjustmentKinds.Refund,
            TenantId = command.TenantId,
            FlowId = command.FlowId,
            Sequence = sequence.Next(),
            Status = PostingStatus.Queued,
            InvoiceId = command.InvoiceId,
            CustomerRef = command.CustomerRef.Trim(),
            Currency = command.Currency,
            Amount = command.Amount,
            Reason = command.Reason,
            PrivateNote = command.PrivateNote,
            PaymentMethod = string.IsNullOrWhiteSpace(command.PaymentMethod) ? null : command.PaymentMethod.Trim(),
            DepositToAccountRef = string.IsNullOrWhiteSpace(command.DepositToAccountRef) ? null : command.DepositToAccountRef.Trim(),
            Enqueued = time.GetUtcNow().UtcDateTime,
        });
        if (queued)
            unitOfWork.OnCommitted(signal.Notify); // woken once it is in the store, so the worker's first look finds it
    }
}
