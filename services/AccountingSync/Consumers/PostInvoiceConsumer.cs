using MassTransit;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.AccountingSync.Consumers;

/// <summary>Queues the invoice durably for its tenant's QuickBooks company; the posting worker sends it.</summary>
public sealed class PostInvoiceConsumer(IUnitOfWork unitOfWork, InvoicePostingSignal signal, PostingSequence sequence, TimeProvider time) : IConsumer<PostInvoice>
{
    public async Task Consume(ConsumeContext<PostInvoice> context)
    {
        var command = context.Message;
        var key = command.InvoiceId.ToString("D");
        if (await unitOfWork.Store.Collection<PendingInvoice>(PendingInvoice.CollectionName).GetAsync(key, context.CancellationToken) is not null)
            return; // the same invoice asked for twice: it is queued or posted already

        var now = time.GetUtcNow().UtcDateTime;
        unitOfWork.Insert(PendingInvoice.CollectionName, key, new PendingInvoice
        {
            InvoiceId = command.InvoiceId,
            TenantId = command.TenantId,
            FlowId = command.FlowId,
            Sequence = sequence.Next(),
            Status = PostingStatus.Queued,
            AccountingCustomerRef = command.AccountingCustomerRef,
            Currency = command.Currency,
            Lines = command.Lines.ToList(),
            InvoiceDate = command.InvoiceDate,
            DueDate = command.DueDate,
            Memo = command.Memo,
            Enqueued = now,
        });
        signal.Notify(); // the worker also polls, in case it wakes before this consume has committed
    }
}
