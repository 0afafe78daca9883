using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.Contracts;

namespace QuoteToCash.AccountingSync.Infrastructure.Adjustments;

/// <summary>The kinds of adjustment the adjustment queue carries.</summary>
public static class AdjustmentKinds
{
    public const string CreditMemo = "CreditMemo";
    public const string Refund = "Refund";
}

/// <summary>
/// A credit memo (or write-off) or a refund on its way to QuickBooks: the durable per-tenant queue the adjustment worker
/// drains in arrival order. The steps already done in QuickBooks are recorded as they happen, so a resumed adjustment
/// goes on from there, and every write carries a requestid derived from the command's ID and the step.
/// </summary>
public sealed class PendingAdjustment
{
    public const string CollectionName = "pending-adjustments";

    /// <summary>The trace of the command that queued it: the QuickBooks calls and what they publish continue the deal's trace.</summary>
    public ServiceDefaults.Telemetry.StoredTraceContext? Trace { get; set; }

    /// <summary>The command's CreditMemoId or RefundId.</summary>
    public Guid AdjustmentId { get; set; }
    public string Kind { get; set; } = AdjustmentKinds.CreditMemo;
    public string TenantId { get; set; } = string.Empty;
    public Guid FlowId { get; set; }
    public long Sequence { get; set; }
    public PostingStatus Status { get; set; }

    public Guid? InvoiceId { get; set; }
    public string? AccountingInvoiceId { get; set; }
    public string CustomerRef { get; set; } = string.Empty;
    public string Currency { get; set; } = string.Empty;
    public List<InvoiceLine> Lines { get; set; } = [];
    public decimal Amount { get; set; }
    public string Reason { get; set; } = string.Empty;
    public bool WriteOff { get; set; }
    public string? PrivateNote { get; set; }
    public string? RequestedDocNumber { get; set; }
    public string? PaymentMethod { get; set; }
    public string? DepositToAccountRef { get; set; }

    // Progress in QuickBooks.
    public string? AccountingCreditMemoId { get; set; }
    public decimal? CreditTotal { get; set; }
    /// <summary>What was decided to apply to the invoice, recorded before the payment that applies it is sent.</summary>
    public decimal? PlannedApplied { get; set; }
    public string? AccountingPaymentId { get; set; }
    public string? AccountingRefundReceiptId { get; set; }
    public string? DocNumber { get; set; }

    /// <summary>0 for the first attempt, one more each time a failed adjustment is asked for again. Part of the requestids.</summary>
    public int Revision { get; set; }
    public string? FailureKind { get; set; }
    public string? Error { get; set; }
    public int Attempts { get; set; }
    public DateTime Enqueued { get; set; }
    public DateTime? Completed { get; set; }

    public static string KeyFor(Guid adjustmentId) => adjustmentId.ToString("D");

    /// <summary>
    /// The requestid of one step: 32 hex characters, the same whenever the step is sent again, and new for a later
    /// revision (QuickBooks answers a repeated requestid with its first answer, a refusal included).
    /// </summary>
    public string RequestId(string step) =>
        DeterministicId.Create("qbo-adjustment", TenantId, Kind, AdjustmentId.ToString("N"), step,
            Revision.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToString("N");

    /// <summary>
    /// Queues the adjustment: inserted when new; a failed one is queued again as its next revision, keeping what was
    /// already done in QuickBooks; one queued or done already is left alone (false).
    /// </summary>
    public static bool Queue(ServiceDefaults.Messaging.IUnitOfWork unitOfWork, ServiceDefaults.Storage.StoredDocument<PendingAdjustment>? existing, PendingAdjustment adjustment)
    {
        var key = KeyFor(adjustment.AdjustmentId);
        adjustment.Trace ??= ServiceDefaults.Telemetry.StoredTraceContext.Capture();
        if (existing is null)
        {
            unitOfWork.Insert(CollectionName, key, adjustment);
            return true;
        }
        if (existing.Value.Status != PostingStatus.Failed)
            return false;
        var before = existing.Value;
        adjustment.Revision = before.Revision + 1;
        adjustment.Attempts = before.Attempts;
        adjustment.AccountingInvoiceId ??= before.AccountingInvoiceId;
        adjustment.AccountingCreditMemoId = before.AccountingCreditMemoId;
        adjustment.CreditTotal = before.CreditTotal;
        adjustment.PlannedApplied = before.PlannedApplied;
        adjustment.AccountingPaymentId = before.AccountingPaymentId;
        adjustment.AccountingRefundReceiptId = before.AccountingRefundReceiptId;
        adjustment.DocNumber = before.DocNumber;
        unitOfWork.Replace(CollectionName, existing, adjustment);
        return true;
    }
}

/// <summary>Wakes the adjustment worker when an adjustment is queued.</summary>
public sealed class AdjustmentSignal : WorkSignal;
