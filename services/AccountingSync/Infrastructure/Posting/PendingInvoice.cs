using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;

namespace QuoteToCash.AccountingSync.Infrastructure.Posting;

public enum PostingStatus
{
    Queued,
    InFlight,
    Posted,
    Failed,
}

/// <summary>An invoice on its way to QuickBooks: the durable per-tenant outbound queue (ACC-3).</summary>
public sealed class PendingInvoice
{
    public const string CollectionName = "pending-invoices";

    public Guid InvoiceId { get; set; }
    public string TenantId { get; set; } = string.Empty;
    public Guid FlowId { get; set; }
    public long Sequence { get; set; }
    public PostingStatus Status { get; set; }
    public string? AccountingCustomerRef { get; set; }
    public string Currency { get; set; } = string.Empty;
    public List<InvoiceLine> Lines { get; set; } = [];
    public DateOnly InvoiceDate { get; set; }
    public DateOnly DueDate { get; set; }
    public string? Memo { get; set; }
    /// <summary>The number the command asked for; null lets QuickBooks number the invoice.</summary>
    public string? RequestedDocNumber { get; set; }
    public string? PrivateNote { get; set; }
    public string? CustomerMemo { get; set; }
    public string? SalesTermRef { get; set; }
    public string? PaymentTerms { get; set; }
    public string? ClassRef { get; set; }
    public string? DepartmentRef { get; set; }
    public string? PurchaseOrder { get; set; }
    public ClosedBooksPolicy ClosedBooks { get; set; }
    /// <summary>The attempt: 0 for the first, one more each time a failed invoice is asked for again. Part of the requestid.</summary>
    public int Revision { get; set; }
    /// <summary>How often QuickBooks refused this revision for a closed period that the kept closing date did not show.</summary>
    public int ClosedPeriodRefusals { get; set; }
    /// <summary>The batch this invoice was planned into; resent with the same requestid after a crash.</summary>
    public string? BatchRequestId { get; set; }
    public string? AccountingInvoiceId { get; set; }
    /// <summary>The number QuickBooks holds (asked for or assigned).</summary>
    public string? DocNumber { get; set; }
    public decimal? Total { get; set; }
    public decimal? Balance { get; set; }
    /// <summary>The dates QuickBooks holds once posted.</summary>
    public DateOnly? PostedInvoiceDate { get; set; }
    public DateOnly? PostedDueDate { get; set; }
    /// <summary>What changed on the way (a move out of a closed period), for finance.</summary>
    public string? Note { get; set; }
    public string? FailureKind { get; set; }
    public string? Error { get; set; }
    public int Attempts { get; set; }
    /// <summary>Passes in a row that ended without an answer (QuickBooks unavailable or throttling); reset by any answer.</summary>
    public int UnansweredPasses { get; set; }
    /// <summary>Not sent again before this time (the backoff after an unanswered pass).</summary>
    public DateTime? NotBefore { get; set; }
    public DateTime Enqueued { get; set; }
    public DateTime? Posted { get; set; }
    /// <summary>
    /// Operations wait in the outbound queue for this invoice (its e-mail, a credit memo, a refund): its posting commit
    /// releases them. Set by the operation that waits, in the same commit as its hold.
    /// </summary>
    public bool Awaited { get; set; }
    /// <summary>The trace of the PostInvoice that queued it: the QuickBooks call and what it publishes continue the deal's trace.</summary>
    public QuoteToCash.ServiceDefaults.Telemetry.StoredTraceContext? Trace { get; set; }

    /// <summary>
    /// The QuickBooks requestid of a single create: the invoice's own ID for the first attempt, and an ID derived from it
    /// and the revision for a later one (QuickBooks answers a repeated requestid with its first answer, the refusal included).
    /// </summary>
    public string RequestId => Revision == 0
        ? InvoiceId.ToString("N")
        : DeterministicId.Create("qbo-invoice", InvoiceId.ToString("N"), Revision.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToString("N");
}

/// <summary>Finance's retry of an invoice from the exception queue.</summary>
public static class PendingInvoiceRetry
{
    /// <summary>
    /// Sends the invoice on the next pass. A failed one goes as its next revision (a new requestid): QuickBooks refused it
    /// for good, and it answers a repeated requestid with its first answer, the refusal included. One waiting out an
    /// unanswered pass keeps its revision and requestid, because QuickBooks may have made it already and then replays the
    /// create instead of making a second invoice; only its backoff is cut short. False when there is nothing to send
    /// (posted, or already in a planned batch).
    /// </summary>
    public static bool Requeue(PendingInvoice invoice)
    {
        switch (invoice.Status)
        {
            case PostingStatus.Failed:
                invoice.Revision++;
                invoice.ClosedPeriodRefusals = 0;
                break;
            case PostingStatus.Queued:
                break;
            case PostingStatus.InFlight when invoice.BatchRequestId is null && invoice.NotBefore is not null:
                // A single QuickBooks did not answer, waiting out its backoff: sent again alone now, same requestid.
                invoice.NotBefore = null;
                return true;
            default:
                return false;
        }
        invoice.Status = PostingStatus.Queued;
        invoice.NotBefore = null;
        return true;
    }
}

/// <summary>A batch request planned before it is sent, so a crash mid-flight resends exactly the same batch with the same requestid.</summary>
public sealed class PostingBatch
{
    public const string CollectionName = "posting-batches";

    public string RequestId { get; set; } = string.Empty;
    public string TenantId { get; set; } = string.Empty;
    public List<Guid> InvoiceIds { get; set; } = [];
    public DateTime Planned { get; set; }
    /// <summary>Sends of the batch in a row that got no answer; it is resent (same requestid) after a backoff, never replanned.</summary>
    public int UnansweredPasses { get; set; }
    public DateTime? NotBefore { get; set; }
}

public sealed class PostingOptions
{
    /// <summary>Batches sent to one realm at the same time.</summary>
    public int ParallelBatches { get; set; } = 3;

    /// <summary>Queued invoices at which a realm is considered backlogged and posts in batches.</summary>
    public int BatchThreshold { get; set; } = 2;

    public int BatchSize { get; set; } = 30;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>While the queue is still growing, how long to wait for more before sending a part-filled batch…</summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>…and at most this long in all, so a trickle is never held back noticeably.</summary>
    public TimeSpan MaxLinger { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The wait after the second unanswered pass in a row (QuickBooks unavailable or throttling beyond the client's retries;
    /// after the first it goes again at once); it doubles each further pass…
    /// </summary>
    public TimeSpan UnansweredBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>…up to this long…</summary>
    public TimeSpan MaxUnansweredBackoff { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// …and from this many unanswered passes in a row finance is told (a QboUnavailable or RateLimited exception). The
    /// invoice is not failed: it stays queued and goes on the next due pass with the same requestid.
    /// </summary>
    public int UnansweredPatience { get; set; } = 6;

    /// <summary>How old the kept closing date may be before posting reads it from QuickBooks again.</summary>
    public TimeSpan ClosingDateMaxAge { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>Wakes the posting worker when new invoices are queued.</summary>
public sealed class InvoicePostingSignal : WorkSignal;
