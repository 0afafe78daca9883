namespace QuoteToCash.AccountingSync.Domain.Outbound;

/// <summary>Where the invoice an operation depends on stands on its way to QuickBooks.</summary>
public enum InvoiceProgress
{
    /// <summary>accounting-sync never queued it (posted elsewhere, or named by its QuickBooks Id): nothing to wait for.</summary>
    Unknown,
    /// <summary>Queued or in flight.</summary>
    OnItsWay,
    /// <summary>QuickBooks refused it; finance's retry (or a corrected command) sends it again.</summary>
    Refused,
    Posted,
}

/// <summary>Why an operation is held in the outbound queue instead of being sent to QuickBooks now.</summary>
public enum HoldReason
{
    /// <summary>It needs an invoice that is not in QuickBooks yet; it goes once that invoice is posted.</summary>
    WaitingForInvoice,
}

/// <summary>What to do with an operation now.</summary>
public sealed record OutboundDecision(bool Go, HoldReason? Hold, string? Explanation)
{
    public static readonly OutboundDecision Now = new(true, null, null);
}

/// <summary>
/// The dependency order of a realm's outbound work (ACC-3): a customer before its invoices (a PostInvoice carries the
/// customer's QuickBooks Id, which exists only once the customer is there), an invoice before what needs it in QuickBooks
/// (its e-mail, a credit memo applied to it, a refund of it). An operation whose invoice is not posted yet is held, not
/// failed and not retried against QuickBooks, and goes in the order it was held once the invoice is posted. Pure.
/// </summary>
public static class OutboundOrder
{
    /// <summary>The subject key of an invoice, for what waits for it.</summary>
    public static string InvoiceSubject(Guid invoiceId) => "invoice:" + invoiceId.ToString("N");

    /// <param name="operation">What would be sent, in finance's words ("The e-mail of the invoice", "The credit memo").</param>
    /// <param name="progress">Where the invoice it needs stands.</param>
    /// <param name="docNumber">The invoice's number when known, for the explanation.</param>
    public static OutboundDecision AfterInvoice(string operation, InvoiceProgress progress, string? docNumber) => progress switch
    {
        InvoiceProgress.OnItsWay => new OutboundDecision(false, HoldReason.WaitingForInvoice,
            $"{operation} waits for invoice {docNumber ?? "(not yet numbered)"}, which is still on its way to QuickBooks; it goes by itself once the invoice is posted."),
        InvoiceProgress.Refused => new OutboundDecision(false, HoldReason.WaitingForInvoice,
            $"{operation} waits for invoice {docNumber ?? "(not yet numbered)"}, which QuickBooks refused; it goes by itself once that invoice's exception is retried and the invoice is posted."),
        _ => OutboundDecision.Now,
    };

    /// <summary>Held operations released together go in the order they were held (their sequence), whatever order they are read in.</summary>
    public static IReadOnlyList<T> ReleaseOrder<T>(IEnumerable<T> held, Func<T, long> sequence) => held.OrderBy(sequence).ToList();
}
