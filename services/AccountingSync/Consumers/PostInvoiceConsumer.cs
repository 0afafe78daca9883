using MassTransit;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.AccountingSync.Consumers;

/// <summary>
/// Queues the invoice durably for its tenant's QuickBooks company; the posting worker sends it. An invoice already queued
/// or posted is not queued again. One that failed (a taken number, a closed period, …) is queued again as its next
/// revision, with what this command says now, so billing can ask again with the next number or once finance is done.
/// </summary>
public sealed class PostInvoiceConsumer(IUnitOfWork unitOfWork, InvoicePostingSignal signal, PostingSequence sequence, TimeProvider time) : IConsumer<PostInvoice>
{
    public async Task Consume(ConsumeContext<PostInvoice> context)
    {
        var command = context.Message;
        var key = command.InvoiceId.ToString("D");
        var existing = await unitOfWork.Store.Collection<PendingInvoice>(PendingInvoice.CollectionName).GetAsync(key, context.CancellationToken);
        if (existing is not null && existing.Value.Status != PostingStatus.Failed)
            return; // the same invoice asked for twice: it is queued or posted already
        if (command.SandboxOnly && await ProductionBooksAsync(command.TenantId, context.CancellationToken) is { } refusal)
        {
            unitOfWork.Publish(new InvoicePostingFailed
            {
                TenantId = command.TenantId, FlowId = command.FlowId, InvoiceId = command.InvoiceId, Kind = "NotSandbox", Message = refusal,
                FailedAt = time.GetUtcNow(),
            });
            return;
        }

        var invoice = Queued(command, time.GetUtcNow().UtcDateTime);
        if (existing is null)
        {
            unitOfWork.Insert(PendingInvoice.CollectionName, key, invoice);
        }
        else
        {
            invoice.Revision = existing.Value.Revision + 1;
            invoice.Attempts = existing.Value.Attempts;
            unitOfWork.Replace(PendingInvoice.CollectionName, existing, invoice);
        }
        unitOfWork.OnCommitted(signal.Notify); // woken once the invoice is in the store, so its first look finds it
    }

    /// <summary>Why a sandbox-mode invoice may not go to the tenant's QuickBooks company, or null when it is a sandbox company.</summary>
    private async Task<string?> ProductionBooksAsync(string tenantId, CancellationToken cancellationToken)
    {
        var connection = (await unitOfWork.Store.Collection<QboConnection>(QboConnection.CollectionName).GetAsync(tenantId, cancellationToken))?.Value;
        return connection is null ? null // not connected: the worker reports NotConnected as for any invoice
            : string.Equals(connection.Environment, "sandbox", StringComparison.OrdinalIgnoreCase) ? null
            : "The tenant bills in sandbox mode, but its QuickBooks connection is a production company: connect a sandbox company or switch the billing mode to live.";
    }

    private PendingInvoice Queued(PostInvoice command, DateTime now) => new()
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
        RequestedDocNumber = Blank(command.DocNumber),
        PrivateNote = Blank(command.PrivateNote),
        CustomerMemo = Blank(command.CustomerMemo),
        SalesTermRef = Blank(command.SalesTermRef),
        PaymentTerms = Blank(command.PaymentTerms),
        ClassRef = Blank(command.ClassRef),
        DepartmentRef = Blank(command.DepartmentRef),
        PurchaseOrder = Blank(command.PurchaseOrder),
        ClosedBooks = command.ClosedBooks ?? ClosedBooksPolicy.HoldForFinance,
        Enqueued = now,
        Trace = QuoteToCash.ServiceDefaults.Telemetry.StoredTraceContext.Capture(),
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
