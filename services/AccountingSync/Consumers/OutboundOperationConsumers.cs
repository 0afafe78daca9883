using MassTransit;
using QuoteToCash.AccountingSync.Infrastructure.Outbound;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.AccountingSync.Consumers;

/// <summary>
/// Queues a customer for QuickBooks in its realm's outbound queue; the outbound worker makes, links or updates it
/// (<see cref="Infrastructure.Outbound.Operations.SyncCustomerOperation"/>). One entry per customer revision.
/// </summary>
public sealed class SyncCustomerConsumer(IUnitOfWork unitOfWork, OutboundSignal signal, PostingSequence sequence, TimeProvider time) : IConsumer<SyncCustomer>
{
    public Task Consume(ConsumeContext<SyncCustomer> context)
    {
        var command = context.Message;
        OutboundQueue.Enqueue(unitOfWork, sequence, command.TenantId, $"customer:{command.CustomerId:N}:{command.Revision}", command, null, time.GetUtcNow());
        unitOfWork.OnCommitted(signal.Notify);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Queues a time entry for QuickBooks in its realm's outbound queue; the outbound worker records it as a TimeActivity
/// (<see cref="Infrastructure.Outbound.Operations.PostTimeActivityOperation"/>).
/// </summary>
public sealed class PostTimeActivityConsumer(IUnitOfWork unitOfWork, OutboundSignal signal, PostingSequence sequence, TimeProvider time) : IConsumer<PostTimeActivity>
{
    public Task Consume(ConsumeContext<PostTimeActivity> context)
    {
        var command = context.Message;
        OutboundQueue.Enqueue(unitOfWork, sequence, command.TenantId, "time:" + command.TimeEntryId, command, command.FlowId, time.GetUtcNow());
        unitOfWork.OnCommitted(signal.Notify);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Queues an invoice's e-mail in its realm's outbound queue, after the invoice: while the invoice is still on its way to
/// QuickBooks (or refused) the command is held, and the invoice's posting releases it; then the outbound worker has
/// QuickBooks send it (<see cref="Infrastructure.Outbound.Operations.SendInvoiceOperation"/>).
/// </summary>
public sealed class SendInvoiceConsumer(IUnitOfWork unitOfWork, OutboundSignal signal, PostingSequence sequence, TimeProvider time, ILogger<SendInvoiceConsumer> logger)
    : IConsumer<SendInvoice>
{
    public async Task Consume(ConsumeContext<SendInvoice> context)
    {
        var command = context.Message;
        var subject = "send:" + command.InvoiceId.ToString("N");
        if (string.IsNullOrWhiteSpace(command.AccountingInvoiceId))
        {
            var decision = await OutboundQueue.HoldUntilInvoicePostedAsync(unitOfWork, sequence, command.InvoiceId, subject, "The e-mail of the invoice", command,
                command.FlowId, time.GetUtcNow(), context.CancellationToken);
            if (!decision.Go)
            {
                logger.LogInformation("Invoice {Invoice} of tenant {Tenant} is e-mailed once it is posted: {Explanation}", command.InvoiceId, command.TenantId,
                    decision.Explanation);
                return;
            }
        }
        OutboundQueue.Enqueue(unitOfWork, sequence, command.TenantId, subject, command, command.FlowId, time.GetUtcNow());
        unitOfWork.OnCommitted(signal.Notify);
    }
}
