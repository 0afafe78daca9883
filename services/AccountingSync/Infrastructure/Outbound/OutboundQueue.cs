using System.Text.Json;
using QuoteToCash.AccountingSync.Consumers;
using QuoteToCash.AccountingSync.Domain.Outbound;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.Contracts;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Telemetry;

namespace QuoteToCash.AccountingSync.Infrastructure.Outbound;

/// <summary>
/// One operation of a realm's outbound queue (collection <c>outbound-queue</c>), kept until it is done: a command the
/// operation worker sends to QuickBooks in the realm's order (<c>SyncCustomer</c>, <c>SendInvoice</c>,
/// <c>PostTimeActivity</c>), or one held until what it needs happens (an invoice still on its way, for an e-mail, a
/// credit memo or a refund). The command is kept as it came; a held one is published again, in its held order, in the
/// very commit that makes it possible (the invoice's posting), so nothing is lost and nothing needs a person to push it.
/// Invoices and adjustments keep their progress in their own posting queues (<c>pending-invoices</c>,
/// <c>pending-adjustments</c>), drained in the same per-realm way.
/// </summary>
public sealed class OutboundEntry
{
    public const string CollectionName = "outbound-queue";

    public string TenantId { get; set; } = string.Empty;
    public OutboundState State { get; set; }
    /// <summary>The operation, by its command's name (SendInvoice, PostCreditMemo, IssueRefund, SyncCustomer, PostTimeActivity).</summary>
    public string Operation { get; set; } = string.Empty;
    /// <summary>What the operation is about (the invoice, credit memo, refund, customer revision or time entry).</summary>
    public string Subject { get; set; } = string.Empty;
    /// <summary>Why a held operation waits.</summary>
    public HoldReason? Reason { get; set; }
    /// <summary>The subject a held operation waits for (<see cref="OutboundOrder.InvoiceSubject"/>).</summary>
    public string? WaitsFor { get; set; }
    /// <summary>Its place in the realm's order; released operations go in this order.</summary>
    public long Sequence { get; set; }
    public Guid? FlowId { get; set; }
    /// <summary>Finance's words for why it waits (held), or why its last attempt got no answer (queued).</summary>
    public string Explanation { get; set; } = string.Empty;
    /// <summary>Attempts in a row that got no answer (QuickBooks unavailable or throttling); reset by any answer.</summary>
    public int UnansweredPasses { get; set; }
    /// <summary>Not sent again before this time (the backoff after an unanswered attempt).</summary>
    public DateTime? NotBefore { get; set; }
    /// <summary>The command's CLR full name (a contract type).</summary>
    public string CommandType { get; set; } = string.Empty;
    public string CommandJson { get; set; } = string.Empty;
    /// <summary>When it was queued or held.</summary>
    public DateTimeOffset HeldAt { get; set; }
    /// <summary>The trace the command arrived in; publishing it again continues that trace.</summary>
    public StoredTraceContext? Trace { get; set; }

    /// <summary>One held copy per command and subject: a redelivery overwrites instead of holding it twice.</summary>
    public static string KeyFor(string tenantId, string commandType, string subject) => DeterministicId.Create("outbound", tenantId, commandType, subject).ToString("N");

    /// <summary>The command, as it came.</summary>
    public object? Command() =>
        MessageFaults.Resolve(CommandType) is { } type ? JsonSerializer.Deserialize(CommandJson, type, JsonSerializerOptions.Web) : null;
}

/// <summary>The state of an entry of the outbound queue.</summary>
public enum OutboundState
{
    /// <summary>Waiting for its turn in the realm's order; the operation worker sends it.</summary>
    Queued,
    /// <summary>Waiting for something else to happen first (<see cref="OutboundEntry.Reason"/>).</summary>
    Held,
}

/// <summary>The realm's outbound queue: queuing operations, holding them, and releasing them when what they wait for happens.</summary>
public static class OutboundQueue
{
    /// <summary>Where commands waiting for a reconnection were kept before the outbound queue held them; released too, so none is stranded.</summary>
    public const string LegacyParkedCollection = "parked-commands";

    /// <summary>Queues the command for the operation worker in the caller's unit of work (once per command and subject: a redelivery replaces it).</summary>
    public static void Enqueue<T>(IUnitOfWork unitOfWork, PostingSequence sequence, string tenantId, string subject, T command, Guid? flowId, DateTimeOffset at)
        where T : class =>
        unitOfWork.Upsert(OutboundEntry.CollectionName, OutboundEntry.KeyFor(tenantId, typeof(T).FullName!, subject),
            Entry(sequence, tenantId, subject, command, OutboundState.Queued, null, null, string.Empty, flowId, at));

    private static OutboundEntry Entry<T>(PostingSequence sequence, string tenantId, string subject, T command, OutboundState state, HoldReason? reason,
        string? waitsFor, string explanation, Guid? flowId, DateTimeOffset at) where T : class => new()
    {
        TenantId = tenantId,
        State = state,
        Operation = typeof(T).Name,
        Subject = subject,
        Reason = reason,
        WaitsFor = waitsFor,
        Sequence = sequence.Next(),
        FlowId = flowId,
        Explanation = explanation,
        CommandType = typeof(T).FullName!,
        CommandJson = JsonSerializer.Serialize(command, JsonSerializerOptions.Web),
        HeldAt = at,
        Trace = StoredTraceContext.Capture(),
    };

    /// <summary>
    /// The invoice first: when the invoice the command needs is still on its way to QuickBooks (or refused), the command
    /// is held for it, in the caller's unit of work, and the decision says so; otherwise it may go now.
    /// </summary>
    /// <param name="operation">What would be sent, in finance's words ("The credit memo").</param>
    public static async Task<OutboundDecision> HoldUntilInvoicePostedAsync<T>(IUnitOfWork unitOfWork, PostingSequence sequence, Guid invoiceId, string subject,
        string operation, T command, Guid? flowId, DateTimeOffset at, CancellationToken cancellationToken) where T : class
    {
        var (progress, invoice) = await InvoiceProgressAsync(unitOfWork.Store, invoiceId, cancellationToken);
        var decision = OutboundOrder.AfterInvoice(operation, progress, invoice?.Value.DocNumber ?? invoice?.Value.RequestedDocNumber);
        if (!decision.Go)
            HoldForInvoice(unitOfWork, sequence, invoice!, subject, command, decision, flowId, at);
        return decision;
    }

    /// <summary>
    /// Holds an operation that needs an invoice still on its way (or refused): the command is kept, and the invoice is
    /// marked as awaited, written back at the version read, so its posting commit and this hold cannot pass each other
    /// unseen (one of the two commits conflicts and is retried, and then sees the other).
    /// </summary>
    private static void HoldForInvoice<T>(IUnitOfWork unitOfWork, PostingSequence sequence, StoredDocument<PendingInvoice> invoice, string subject, T command,
        OutboundDecision decision, Guid? flowId, DateTimeOffset at) where T : class
    {
        unitOfWork.Upsert(OutboundEntry.CollectionName, OutboundEntry.KeyFor(invoice.Value.TenantId, typeof(T).FullName!, subject),
            Entry(sequence, invoice.Value.TenantId, subject, command, OutboundState.Held, HoldReason.WaitingForInvoice,
                OutboundOrder.InvoiceSubject(invoice.Value.InvoiceId), decision.Explanation ?? string.Empty, flowId, at));
        invoice.Value.Awaited = true;
        unitOfWork.Replace(PendingInvoice.CollectionName, invoice, invoice.Value);
    }

    /// <summary>Where the invoice stands for what depends on it, with its stored document (null when accounting-sync never queued it).</summary>
    public static async Task<(InvoiceProgress Progress, StoredDocument<PendingInvoice>? Invoice)> InvoiceProgressAsync(IDocumentStore store, Guid invoiceId,
        CancellationToken cancellationToken)
    {
        var stored = await store.Collection<PendingInvoice>(PendingInvoice.CollectionName).GetAsync(invoiceId.ToString("D"), cancellationToken);
        return (stored?.Value.Status switch
        {
            null => InvoiceProgress.Unknown,
            PostingStatus.Queued or PostingStatus.InFlight => InvoiceProgress.OnItsWay,
            PostingStatus.Failed => InvoiceProgress.Refused,
            _ => stored.Value.AccountingInvoiceId is null ? InvoiceProgress.Unknown : InvoiceProgress.Posted,
        }, stored);
    }

    /// <summary>Publishes, in held order, every operation held for the subject and removes it, in the caller's unit of work. Returns how many.</summary>
    public static async Task<int> ReleaseWaitingForAsync(IUnitOfWork unitOfWork, string waitsFor, CancellationToken cancellationToken)
    {
        var held = await unitOfWork.Store.Collection<OutboundEntry>(OutboundEntry.CollectionName).FindAsync(h => h.WaitsFor == waitsFor, cancellationToken: cancellationToken);
        Release(unitOfWork, held, "release held operation");
        return held.Count;
    }

    /// <summary>
    /// Publishes every command an earlier version parked for the tenant while its QuickBooks authorisation had lapsed
    /// (collection <c>parked-commands</c>), and removes it, in the caller's unit of work. Today such commands simply stay
    /// queued while the realm is paused. Returns how many.
    /// </summary>
    public static async Task<int> ReleaseParkedAsync(IUnitOfWork unitOfWork, string tenantId, CancellationToken cancellationToken)
    {
        var legacy = await unitOfWork.Store.Collection<LegacyParkedCommand>(LegacyParkedCollection).FindAsync(h => h.TenantId == tenantId, cancellationToken: cancellationToken);
        foreach (var document in legacy.OrderBy(h => h.Value.ParkedAt))
        {
            Publish(unitOfWork, new OutboundEntry { CommandType = document.Value.CommandType, CommandJson = document.Value.CommandJson, Trace = document.Value.Trace },
                "release parked command");
            unitOfWork.Delete(LegacyParkedCollection, document.Id, document.Version);
        }
        return legacy.Count;
    }

    private static void Release(IUnitOfWork unitOfWork, IEnumerable<StoredDocument<OutboundEntry>> held, string span)
    {
        foreach (var document in OutboundOrder.ReleaseOrder(held, h => h.Value.Sequence))
        {
            Publish(unitOfWork, document.Value, span);
            unitOfWork.Delete(OutboundEntry.CollectionName, document.Id, document.Version);
        }
    }

    private static void Publish(IUnitOfWork unitOfWork, OutboundEntry hold, string span)
    {
        if (hold.Command() is { } command)
        {
            // The outbox record takes the current trace: the command's own, linked to what released it.
            using var trace = hold.Trace.ContinueTrace(span);
            unitOfWork.Publish(command);
        }
    }
}

/// <summary>A command parked for a reconnection as stores written before the outbound queue kept it (collection parked-commands).</summary>
public sealed class LegacyParkedCommand
{
    public string TenantId { get; set; } = string.Empty;
    public string CommandType { get; set; } = string.Empty;
    public string CommandJson { get; set; } = string.Empty;
    public DateTimeOffset ParkedAt { get; set; }
    public StoredTraceContext? Trace { get; set; }
}

/// <summary>Wakes the outbound worker when an operation is queued.</summary>
public sealed class OutboundSignal : WorkSignal;
