using MassTransit;
using QuoteToCash.AccountingSync.Infrastructure.Adjustments;
using QuoteToCash.AccountingSync.Infrastructure.Outbound;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.AccountingSync.Consumers;

/// <summary>
/// Queues a credit memo (or write-off) durably for its tenant's QuickBooks company; the adjustment worker creates it,
/// applies it to the invoice and answers CreditMemoPosted or AdjustmentFailed. The same credit is queued once; a failed
/// one asked for again goes as its next attempt.
/// </summary>
public sealed class PostCreditMemoConsumer(IUnitOfWork unitOfWork, AdjustmentSignal signal, PostingSequence sequence, TimeProvider time) : IConsumer<PostCreditMemo>
{
    public async Task Consume(ConsumeContext<PostCreditMemo> context)
    {
        var command = context.Message;
        var existing = await unitOfWork.Store.Collection<PendingAdjustment>(PendingAdjustment.CollectionName)
            .GetAsync(PendingAdjustment.KeyFor(command.CreditMemoId), context.CancellationToken);
        if ((existing is null or { Value.Status: PostingStatus.Failed }) && string.IsNullOrWhiteSpace(command.AccountingInvoiceId))
        {
            // Its invoice first: one still on its way (or refused) is waited for in the outbound queue instead of failing.
            var decision = await OutboundQueue.HoldUntilInvoicePostedAsync(unitOfWork, sequence, command.InvoiceId, "adjustment:" + command.CreditMemoId.ToString("N"),
                "The credit memo", command, command.FlowId, time.GetUtcNow(), context.CancellationToken);
            if (!decision.Go)
                return;
        }
        var queued = PendingAdjustment.Queue(unitOfWork, existing, new PendingAdjustment
        {
            AdjustmentId = command.CreditMemoId,
            Kind = AdjustmentKinds.CreditMemo,
            TenantId = command.TenantId,
            FlowId = command.FlowId,
            Sequence = sequence.Next(),
            Status = PostingStatus.Queued,
            InvoiceId = command.InvoiceId,
            AccountingInvoiceId = string.IsNullOrWhiteSpace(command.AccountingInvoiceId) ? null : command.AccountingInvoiceId.Trim(),
            CustomerRef = command.CustomerRef.Trim(),
            Currency = command.Currency,
            Lines = command.Lines.ToList(),
            Amount = command.Lines.Sum(l => l.Amount),
            Reason = command.Reason,
            WriteOff = command.WriteOff,
            PrivateNote = command.PrivateNote,
            RequestedDocNumber = string.IsNullOrWhiteSpace(command.DocNumber) ? null : command.DocNumber.Trim(),
            Enqueued = time.GetUtcNow().UtcDateTime,
        });
        if (queued)
            unitOfWork.OnCommitted(signal.Notify); // woken once it is in the store, so the worker's first look finds it
    }
}
