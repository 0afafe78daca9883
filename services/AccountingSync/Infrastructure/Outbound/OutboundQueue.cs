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
/// An operation held in the realm's outbound queue instead of being sent to QuickBooks now: one that needs an invoice
/// not yet posted, or one that arrived while the realm's QuickBooks authorisation had expired or was revoked. The
/// command is kept as it came and published again, in its held order, in the very commit that makes it possible (the
/// invoice's posting, the renewed connection), so nothing is lost and nothing needs a person to push it.
/// </summary>
public sealed class OutboundHold
{
    public const string CollectionName = "outbound-queue";

    public string TenantId { get; set; } = string.Empty;
    /// <summary>The operation, by its command's name (SendInvoice, PostCreditMemo, IssueRefund, SyncCustomer, PostTimeActivity).</summary>
    public string Operation { get; set; } = string.Empty;
    /// <summary>What the operation is about (the invoice, credit memo, refund, customer revision or time entry).</summary>
    public string Subject { get; set; } = string.Empty;
    public HoldReason Reason { get; set; }
    /// <summary>The subject it waits for (<see cref="OutboundOrder.InvoiceSubject"/>); null when it waits for the connection.</summary>
    public string? WaitsFor { get; set; }
    /// <summary>Its place in the realm's order; released operations go in this order.</summary>
    public long Sequence { get; set; }
    public Guid? FlowId { get; set; }
    /// <summary>Finance's words for why it waits.</summary>
    public string Explanation { get; set; } = string.Empty;
    /// <summary>The command's CLR full name (a contract type).</summary>
    public string CommandType { get; set; } = string.Empty;
    public string CommandJson { get; set; } = string.Empty;
    public DateTimeOffset HeldAt { get; set; }
    /// <summary>The trace the command arrived in; publishing it again continues that trace.</summary>
    public StoredTraceContext? Trace { get; set; }

    /// <summary>One held copy per command and subject: a redelivery overwrites instead of holding it twice.</summary>
    public static string KeyFor(string tenantId, string commandType, string subject) => DeterministicId.Create("parked-command", tenantId, commandType, subject).ToString("N");
}

/// <summary>The realm's outbound queue of held operations: holding them, and releasing them when what they wait for happens.</summary>
public static class OutboundQueue
{
    /// <summary>Where commands waiting for a reconnection were kept before the outbound queue held them; released too, so none is stranded.</summary>
    public const string LegacyParkedCollection = "parked-commands";

    /// <summary>Finance's words for an operation held until QuickBooks is reconnected.</summary>
    public static string WaitsForReconnection(string operation) =>
        $"{operation} waits for QuickBooks to be reconnected (the company's authorisation expired or was revoked); it goes by itself once an administrator reconnects it.";

    /// <summary>Holds the command in the caller's unit of work.</summary>
    public static void Hold<T>(IUnitOfWork unitOfWork, PostingSequence sequence, string tenantId, string subject, T command, HoldReason reason, string? waitsFor,
        string explanation, Guid? flowId, DateTimeOffset at) where T : class =>
        unitOfWork.Upsert(OutboundHold.CollectionName, OutboundHold.KeyFor(tenantId, typeof(T).FullName!, subject), new OutboundHold
        {
            TenantId = tenantId,
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
        });

    /// <summary>
    /// Holds an operation that needs an invoice still on its way (or refused): the command is kept, and the invoice is
    /// marked as awaited, written back at the version read, so its posting commit and this hold cannot pass each other
    /// unseen (one of the two commits conflicts and is retried, and then sees the other).
    /// </summary>
    public static void HoldForInvoice<T>(IUnitOfWork unitOfWork, PostingSequence sequence, StoredDocument<PendingInvoice> invoice, string subject, T command,
        OutboundDecision decision, Guid? flowId, DateTimeOffset at) where T : class
    {
        Hold(unitOfWork, sequence, invoice.Value.TenantId, subject, command, HoldReason.WaitingForInvoice, OutboundOrder.InvoiceSubject(invoice.Value.InvoiceId),
            decision.Explanation ?? string.Empty, flowId, at);
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

    /// <summary>Publishes, in held order, every operation waiting for the subject and removes it, in the caller's unit of work. Returns how many.</summary>
    public static async Task<int> ReleaseWaitingForAsync(IUnitOfWork unitOfWork, string waitsFor, CancellationToken cancellationToken)
    {
        var held = await unitOfWork.Store.Collection<OutboundHold>(OutboundHold.CollectionName).FindAsync(h => h.WaitsFor == waitsFor, cancellationToken: cancellationToken);
        Release(unitOfWork, held, "release held operation");
        return held.Count;
    }

    /// <summary>Publishes, in held order, every operation of the tenant that waited for QuickBooks to be reconnected, and removes it. Returns how many.</summary>
    public static async Task<int> ReleasePausedAsync(IUnitOfWork unitOfWork, string tenantId, CancellationToken cancellationToken)
    {
        var held = (await unitOfWork.Store.Collection<OutboundHold>(OutboundHold.CollectionName).FindAsync(h => h.TenantId == tenantId, cancellationToken: cancellationToken))
            .Where(h => h.Value.Reason == HoldReason.Reauthorization).ToList();
        Release(unitOfWork, held, "release parked command");
        var legacy = await unitOfWork.Store.Collection<LegacyParkedCommand>(LegacyParkedCollection).FindAsync(h => h.TenantId == tenantId, cancellationToken: cancellationToken);
        foreach (var document in legacy.OrderBy(h => h.Value.ParkedAt))
        {
            Publish(unitOfWork, new OutboundHold { CommandType = document.Value.CommandType, CommandJson = document.Value.CommandJson, Trace = document.Value.Trace },
                "release parked command");
            unitOfWork.Delete(LegacyParkedCollection, document.Id, document.Version);
        }
        return held.Count + legacy.Count;
    }

    private static void Release(IUnitOfWork unitOfWork, IEnumerable<StoredDocument<OutboundHold>> held, string span)
    {
        foreach (var document in OutboundOrder.ReleaseOrder(held, h => h.Value.Sequence))
        {
            Publish(unitOfWork, document.Value, span);
            unitOfWork.Delete(OutboundHold.CollectionName, document.Id, document.Version);
        }
    }

    private static void Publish(IUnitOfWork unitOfWork, OutboundHold hold, string span)
    {
        if (MessageFaults.Resolve(hold.CommandType) is { } type && JsonSerializer.Deserialize(hold.CommandJson, type, JsonSerializerOptions.Web) is { } command)
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
