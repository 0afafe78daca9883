using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Domain.Inbound;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.Inbound;

/// <summary>
/// Builds the index entries of <see cref="PostedInvoice"/> from the posting queue's documents, and the fingerprints of what
/// was posted and of what QuickBooks holds now, so both are computed the same way.
/// </summary>
public static class PostedInvoiceIndex
{
    /// <summary>The index entry of a posted invoice; the dates and total are QuickBooks' answer to the post.</summary>
    public static PostedInvoice FromPending(PendingInvoice pending, DateTime now) => new()
    {
        TenantId = pending.TenantId,
        AccountingInvoiceId = pending.AccountingInvoiceId ?? throw new ArgumentException("The invoice is not posted.", nameof(pending)),
        InvoiceId = pending.InvoiceId,
        FlowId = pending.FlowId,
        DealRef = Domain.Exceptions.DealReference.FromNote(pending.PrivateNote ?? pending.Memo),
        DocNumber = pending.DocNumber,
        Currency = pending.Currency,
        Posted = Fingerprint(pending),
        PostedAt = pending.Posted ?? now,
        State = PostedInvoiceState.Open,
        Balance = pending.Balance ?? pending.Total ?? 0m,
        // QuickBooks answers a create with SyncToken 0; the post itself is then not news to the CDC sweep.
        SyncToken = 0,
        Updated = now,
    };

    /// <summary>What was sent, line by line as the posting worker sends it, with the dates and total QuickBooks answered.</summary>
    public static InvoiceFingerprint Fingerprint(PendingInvoice pending) => new()
    {
        CustomerRef = pending.AccountingCustomerRef,
        TxnDate = pending.PostedInvoiceDate ?? (pending.InvoiceDate == default ? null : pending.InvoiceDate),
        DueDate = pending.PostedDueDate ?? (pending.DueDate == default ? null : pending.DueDate),
        Lines = pending.Lines.Select(line =>
        {
            var figures = SalesLineFigures.For(line);
            return new FingerprintLine { ItemRef = line.ItemRef, Amount = figures.Amount, Quantity = figures.Quantity };
        }).ToList(),
        Total = pending.Total ?? pending.Lines.Sum(l => SalesLineFigures.For(l).Amount),
    };

    /// <summary>The same fingerprint of the invoice QuickBooks holds now: its sales lines in line order (subtotal lines left out).</summary>
    public static InvoiceFingerprint Fingerprint(QboInvoice invoice) => new()
    {
        CustomerRef = invoice.CustomerRef?.Value,
        TxnDate = invoice.TxnDate,
        DueDate = invoice.DueDate,
        Lines = (invoice.Line ?? [])
            .Where(l => l.DetailType == "SalesItemLineDetail")
            .OrderBy(l => l.LineNum ?? int.MaxValue)
            .Select(l => new FingerprintLine { ItemRef = l.SalesItemLineDetail?.ItemRef?.Value, Amount = l.Amount ?? 0m, Quantity = l.SalesItemLineDetail?.Qty })
            .ToList(),
        Total = invoice.TotalAmt ?? 0m,
    };

    /// <summary>The posted invoice the posting queue holds for a QuickBooks Id, for invoices not indexed yet (posted before the index existed, or just now).</summary>
    public static async Task<PendingInvoice?> FindPendingAsync(IDocumentStore store, string tenantId, string accountingInvoiceId, CancellationToken cancellationToken)
    {
        var found = await store.Collection<PendingInvoice>(PendingInvoice.CollectionName)
            .FindAsync(p => p.AccountingInvoiceId == accountingInvoiceId && p.TenantId == tenantId, 2, cancellationToken);
        return found.Select(d => d.Value).FirstOrDefault(p => p.Status == PostingStatus.Posted);
    }
}
