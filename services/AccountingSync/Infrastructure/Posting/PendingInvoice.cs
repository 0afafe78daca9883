using QuoteToCash.Contracts;

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
    /// <summary>The batch this invoice was planned into; resent with the same requestid after a crash.</summary>
    public string? BatchRequestId { get; set; }
    public string? AccountingInvoiceId { get; set; }
    public string? DocNumber { get; set; }
    public decimal? Total { get; set; }
    public decimal? Balance { get; set; }
    public string? Error { get; set; }
    public int Attempts { get; set; }
    public DateTime Enqueued { get; set; }
    public DateTime? Posted { get; set; }

    /// <summary>The QuickBooks requestid of a single create: stable for this invoice forever.</summary>
    public string RequestId => InvoiceId.ToString("N");
}

/// <summary>A batch request planned before it is sent, so a crash mid-flight resends exactly the same batch with the same requestid.</summary>
public sealed class PostingBatch
{
    public const string CollectionName = "posting-batches";

    public string RequestId { get; set; } = string.Empty;
    public string TenantId { get; set; } = string.Empty;
    public List<Guid> InvoiceIds { get; set; } = [];
    public DateTime Planned { get; set; }
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
}

/// <summary>Wakes the posting worker when new invoices are queued.</summary>
public sealed class InvoicePostingSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
