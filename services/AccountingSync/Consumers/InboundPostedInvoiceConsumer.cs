using MassTransit;
using QuoteToCash.AccountingSync.Infrastructure.Inbound;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.AccountingSync.Consumers;

/// <summary>
/// Keeps the index of what accounting-sync posted (<see cref="PostedInvoice"/>): on its own InvoicePosted, the posting
/// queue's document gives the flow, the deal marker and the lines, and the event QuickBooks' number, dates, total and
/// balance. An invoice already indexed (by an inbound change that arrived first) is left as it is.
/// </summary>
public sealed class InboundPostedInvoiceConsumer(IUnitOfWork unitOfWork, TimeProvider time, ILogger<InboundPostedInvoiceConsumer> logger)
    : IConsumer<InvoicePosted>
{
    public async Task Consume(ConsumeContext<InvoicePosted> context)
    {
        var posted = context.Message;
        if (string.IsNullOrEmpty(posted.AccountingInvoiceId))
            return;
        var key = PostedInvoice.Key(posted.TenantId, posted.AccountingInvoiceId);
        if (await unitOfWork.Store.Collection<PostedInvoice>(PostedInvoice.CollectionName).GetAsync(key, context.CancellationToken) is not null)
            return;
        var pending = (await unitOfWork.Store.Collection<PendingInvoice>(PendingInvoice.CollectionName)
            .GetAsync(posted.InvoiceId.ToString("D"), context.CancellationToken))?.Value;
        if (pending is null || pending.TenantId != posted.TenantId)
        {
            logger.LogWarning("Invoice {InvoiceId} of tenant {Tenant} was posted but its posting record is gone; it is not indexed for inbound changes",
                posted.InvoiceId, posted.TenantId);
            return;
        }
        var entry = PostedInvoiceIndex.FromPending(pending, time.GetUtcNow().UtcDateTime);
        entry.AccountingInvoiceId = posted.AccountingInvoiceId;
        entry.DocNumber = posted.DocNumber;
        entry.Balance = posted.Balance;
        entry.PostedAt = posted.PostedAt.UtcDateTime;
        entry.Posted = entry.Posted with
        {
            TxnDate = posted.InvoiceDate ?? entry.Posted.TxnDate,
            DueDate = posted.DueDate ?? entry.Posted.DueDate,
            Total = posted.Total,
        };
        unitOfWork.Insert(PostedInvoice.CollectionName, key, entry);
    }
}
