using System.Globalization;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Domain.Inbound;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.Inbound;

/// <summary>
/// Applies one changed Invoice, Payment or CreditMemo from QuickBooks to what the platform knows, inside one unit of work
/// (ACC-5). Everything is decided by comparing QuickBooks' current state with the index (<see cref="PostedInvoice"/>,
/// <see cref="InboundPayment"/>), never by counting notifications, so the same change seen twice (webhook and CDC, or a
/// re-delivery) publishes nothing the second time:
/// <list type="bullet">
/// <item>a payment applying more to one of our invoices than before publishes <see cref="PaymentReceived"/> for the
/// increase, with the invoice's balance in QuickBooks now (a credit memo applied through a zero payment names it);</item>
/// <item>a payment that applies less than before (reduced, voided, deleted) cannot lower anything in billing, whose balances
/// only go down; it opens a <see cref="SyncExceptionKind.ReconciliationDrift"/> exception so finance sets the deal straight;</item>
/// <item>our invoice voided or deleted in QuickBooks publishes <see cref="InvoiceVoided"/> once;</item>
/// <item>a change to what we posted (customer, dates, lines, total) opens a <see cref="SyncExceptionKind.ManualEditConflict"/>
/// exception once per distinct edit, and nothing is written back to QuickBooks; when the invoice is put back as posted the
/// exception resolves (<see cref="SyncSucceeded"/>).</item>
/// </list>
/// Call <see cref="Flush"/> before the unit of work commits.
/// </summary>
public sealed class InboundChangeProcessor(QboClient client, IUnitOfWork unitOfWork, TimeProvider time, ILogger logger)
{
    /// <summary>The operation named on the exceptions this opens (see <see cref="OpenSyncException.Operation"/>).</summary>
    public const string EditOperation = "InboundEdit";
    public const string PaymentOperation = "InboundPayment";

    private readonly Dictionary<string, Tracked<PostedInvoice>?> _invoices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tracked<InboundPayment>?> _payments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QboInvoice?> _current = new(StringComparer.Ordinal);

    private sealed class Tracked<T>(StoredDocument<T>? loaded, T value) where T : class
    {
        public StoredDocument<T>? Loaded { get; } = loaded;
        public T Value { get; } = value;
        public bool Dirty { get; set; } = loaded is null;
    }

    /// <summary>Reads the entity from QuickBooks (a missing one counts as deleted) and applies it.</summary>
    public async Task ApplyCurrentAsync(string tenantId, string entity, string id, CancellationToken cancellationToken)
    {
        switch (entity)
        {
            case "Invoice":
                if (await InvoiceAsync(tenantId, id, cancellationToken) is null)
                    return; // not ours: not even read
                await ApplyInvoiceAsync(tenantId, id, await CurrentInvoiceAsync(tenantId, id, cancellationToken), cancellationToken);
                break;
            case "Payment":
                await ApplyPaymentAsync(tenantId, id, await ReadOrNullAsync<QboPayment>(tenantId, id, cancellationToken), cancellationToken);
                break;
            case "CreditMemo":
                await ApplyCreditMemoAsync(tenantId, await ReadOrNullAsync<QboCreditMemo>(tenantId, id, cancellationToken), cancellationToken);
                break;
        }
    }

    /// <summary>Applies an invoice as QuickBooks holds it; null when it is gone (deleted).</summary>
    public async Task ApplyInvoiceAsync(string tenantId, string id, QboInvoice? invoice, CancellationToken cancellationToken)
    {
        if (await InvoiceAsync(tenantId, id, cancellationToken) is not { } tracked)
            return;
        var posted = tracked.Value;
        if (posted.State == PostedInvoiceState.Deleted)
            return;
        var now = time.GetUtcNow();
        if (invoice is null)
        {
            Voided(tracked, deleted: true, now);
            return;
        }
        _current.TryAdd(id, invoice);
        if (!InvoiceLifecycle.IsNewer(invoice.SyncToken, posted.SyncToken))
            return; // seen already, or an older version arriving late
        posted.SyncToken = InvoiceLifecycle.Token(invoice.SyncToken);
        tracked.Dirty = true;
        if (posted.State == PostedInvoiceState.Voided)
            return;
        if (InvoiceLifecycle.IsVoided(invoice.PrivateNote, invoice.TotalAmt))
        {
            Voided(tracked, deleted: false, now);
            return;
        }

        var current = PostedInvoiceIndex.Fingerprint(invoice);
        var edits = posted.Posted.EditsIn(current);
        if (edits.Count > 0)
        {
            var key = current.Key();
            if (key != posted.ReportedEdit)
            {
                posted.ReportedEdit = key;
                unitOfWork.Publish(EditConflict(posted, invoice, edits, now));
            }
        }
        else if (posted.ReportedEdit is not null)
        {
            posted.ReportedEdit = null;
            unitOfWork.Publish(new SyncSucceeded
            {
                TenantId = posted.TenantId, Entity = "Invoice", EntityId = posted.InvoiceId.ToString("D"), Operation = EditOperation,
                AccountingId = posted.AccountingInvoiceId, SucceededAt = now,
            });
        }

        var balance = invoice.Balance ?? 0m;
        if (balance != posted.Balance)
        {
            // The balance moved: a payment we have not heard of, or one that no longer applies. Payments are read and
            // applied; what they apply decides what is published, not the invoice's balance alone.
            var linked = (invoice.LinkedTxn ?? []).Where(t => t.TxnType == "Payment").Select(t => t.TxnId);
            foreach (var paymentId in linked.Union(posted.PaymentIds, StringComparer.Ordinal).ToList())
                await ApplyPaymentAsync(tenantId, paymentId, await ReadOrNullAsync<QboPayment>(tenantId, paymentId, cancellationToken), cancellationToken);
            posted.Balance = balance;
            posted.Updated = now.UtcDateTime;
        }
    }

    /// <summary>Applies a payment as QuickBooks holds it; null when it is gone (deleted).</summary>
    public async Task ApplyPaymentAsync(string tenantId, string paymentId, QboPayment? payment, CancellationToken cancellationToken)
    {
        var known = await PaymentAsync(tenantId, paymentId, cancellationToken);
        if (known is { Value.Deleted: true })
            return;
        if (payment is not null && known is not null && !InvoiceLifecycle.IsNewer(payment.SyncToken, known.Value.SyncToken))
            return;

        var lines = payment?.Line ?? [];
        var ours = new List<AppliedAmount>();
        foreach (var line in lines)
        {
            foreach (var link in (line.LinkedTxn ?? []).Where(t => t.TxnType == "Invoice"))
            {
                if (await InvoiceAsync(tenantId, link.TxnId, cancellationToken) is not null)
                    ours.Add(new AppliedAmount { AccountingInvoiceId = link.TxnId, Amount = line.Amount ?? 0m });
            }
        }
        var applies = PaymentApplications.Normalize(ours);
        if (known is null && applies.Count == 0)
            return; // a payment that never touched our invoices
        var creditMemoId = lines.SelectMany(l => l.LinkedTxn ?? []).FirstOrDefault(t => t.TxnType == "CreditMemo")?.TxnId;
        var now = time.GetUtcNow();

        foreach (var change in PaymentApplications.Diff(known?.Value.Applications ?? [], applies))
        {
            var tracked = (await InvoiceAsync(tenantId, change.AccountingInvoiceId, cancellationToken))!;
            var posted = tracked.Value;
            if (!posted.PaymentIds.Contains(paymentId))
                posted.PaymentIds.Add(paymentId);
            tracked.Dirty = true;
            if (posted.State != PostedInvoiceState.Open)
                continue;
            var invoice = await CurrentInvoiceAsync(tenantId, change.AccountingInvoiceId, cancellationToken);
            if (invoice is null)
                continue; // deleted meanwhile; its own change says so
            posted.Balance = invoice.Balance ?? 0m;
            posted.Updated = now.UtcDateTime;
            if (change.Change > 0m)
            {
                unitOfWork.Publish(new PaymentReceived
                {
                    TenantId = tenantId,
                    FlowId = posted.FlowId,
                    InvoiceId = posted.InvoiceId,
                    AccountingPaymentId = paymentId,
                    Amount = change.Change,
                    RemainingBalance = posted.Balance,
                    Currency = posted.Currency,
                    ReceivedAt = ReceivedAt(payment, now),
                    AccountingCreditMemoId = creditMemoId,
                });
            }
            else
            {
                // Billing moves the invoice back to owing (and the CRM with it); finance also gets an exception, since a
                // payment removed in QuickBooks is worth a look (a bounced cheque, or a mistake to put right there).
                unitOfWork.Publish(new PaymentReversed
                {
                    TenantId = tenantId,
                    FlowId = posted.FlowId,
                    InvoiceId = posted.InvoiceId,
                    AccountingPaymentId = paymentId,
                    Amount = -change.Change,
                    RemainingBalance = posted.Balance,
                    Currency = posted.Currency,
                    Removed = payment is null,
                    ReversedAt = now,
                });
                unitOfWork.Publish(PaymentTakenBack(posted, paymentId, -change.Change, payment is null, now));
            }
        }

        var value = known?.Value ?? new InboundPayment { TenantId = tenantId, PaymentId = paymentId };
        value.SyncToken = InvoiceLifecycle.Token(payment?.SyncToken) ?? value.SyncToken;
        value.Deleted = payment is null;
        value.Applications = applies;
        value.Updated = now.UtcDateTime;
        var trackedPayment = known ?? new Tracked<InboundPayment>(null, value);
        trackedPayment.Dirty = true;
        _payments[InboundPayment.Key(tenantId, paymentId)] = trackedPayment;
    }

    /// <summary>A credit memo is applied to invoices through payments; the payments it links are applied.</summary>
    public async Task ApplyCreditMemoAsync(string tenantId, QboCreditMemo? memo, CancellationToken cancellationToken)
    {
        // A credit memo that is applied cannot be deleted or voided in QuickBooks, so a deleted one applied nothing.
        foreach (var link in LinkedTransactions(memo).Where(t => t.TxnType == "Payment").Select(t => t.TxnId).Distinct(StringComparer.Ordinal))
            await ApplyPaymentAsync(tenantId, link, await ReadOrNullAsync<QboPayment>(tenantId, link, cancellationToken), cancellationToken);
    }

    /// <summary>Hands every changed index document to the unit of work.</summary>
    public void Flush()
    {
        foreach (var (key, tracked) in _invoices)
        {
            if (tracked is { Dirty: true })
                unitOfWork.InsertOrReplace(PostedInvoice.CollectionName, key, tracked.Loaded, tracked.Value);
        }
        foreach (var (key, tracked) in _payments)
        {
            if (tracked is { Dirty: true })
                unitOfWork.InsertOrReplace(InboundPayment.CollectionName, key, tracked.Loaded, tracked.Value);
        }
        foreach (var tracked in _invoices.Values)
            tracked?.Dirty = false;
        foreach (var tracked in _payments.Values)
            tracked?.Dirty = false;
    }

    /// <summary>Whether the QuickBooks invoice is one the platform posted (indexed, or posted and not indexed yet).</summary>
    public async Task<bool> IsOursAsync(string tenantId, string accountingInvoiceId, CancellationToken cancellationToken) =>
        await InvoiceAsync(tenantId, accountingInvoiceId, cancellationToken) is not null;

    /// <summary>
    /// Whether a change to the QuickBooks invoice could tell the platform anything: it is ours, not known to be deleted,
    /// and deleted now or newer than the version already handled (so the sweep does not hand on the platform's own posts).
    /// </summary>
    public async Task<bool> IsNewsAboutOursAsync(string tenantId, string accountingInvoiceId, string? syncToken, bool deleted, CancellationToken cancellationToken) =>
        await InvoiceAsync(tenantId, accountingInvoiceId, cancellationToken) is { Value: var posted }
        && posted.State != PostedInvoiceState.Deleted
        && (deleted || InvoiceLifecycle.IsNewer(syncToken, posted.SyncToken));

    private void Voided(Tracked<PostedInvoice> tracked, bool deleted, DateTimeOffset now)
    {
        var posted = tracked.Value;
        posted.State = deleted ? PostedInvoiceState.Deleted : PostedInvoiceState.Voided;
        posted.Balance = 0m;
        posted.StateChangedAt = now.UtcDateTime;
        posted.Updated = now.UtcDateTime;
        tracked.Dirty = true;
        unitOfWork.Publish(new InvoiceVoided
        {
            TenantId = posted.TenantId,
            FlowId = posted.FlowId,
            InvoiceId = posted.InvoiceId,
            AccountingInvoiceId = posted.AccountingInvoiceId,
            Deleted = deleted,
            VoidedAt = now,
        });
        logger.LogInformation("Invoice {DocNumber} (QuickBooks {AccountingInvoiceId}) of tenant {Tenant} was {What} in QuickBooks",
            posted.DocNumber, posted.AccountingInvoiceId, posted.TenantId, deleted ? "deleted" : "voided");
    }

    private static OpenSyncException EditConflict(PostedInvoice posted, QboInvoice invoice, IReadOnlyList<InvoiceEdit> edits, DateTimeOffset now) => new()
    {
        TenantId = posted.TenantId,
        Kind = SyncExceptionKind.ManualEditConflict,
        Entity = "Invoice",
        EntityId = posted.InvoiceId.ToString("D"),
        Operation = EditOperation,
        FlowId = posted.FlowId,
        DealRef = posted.DealRef,
        AccountingId = posted.AccountingInvoiceId,
        Message = $"Invoice {posted.DocNumber ?? posted.AccountingInvoiceId}{DealText(posted)} was changed in QuickBooks after the platform posted it: " +
                  string.Join("; ", edits.Select(e => e.Describe())) + ". The platform leaves QuickBooks' version as it is and will not overwrite it.",
        SuggestedFix = "If the change in QuickBooks is right, make the same change to the deal in the CRM (or raise a credit memo from the platform) so both agree, " +
                       "then resolve this exception; if it was a mistake, put the invoice back in QuickBooks as posted and the exception resolves by itself.",
        Detail = $"QuickBooks Invoice {posted.AccountingInvoiceId} SyncToken {invoice.SyncToken}",
        OccurredAt = now,
    };

    private static OpenSyncException PaymentTakenBack(PostedInvoice posted, string paymentId, decimal amount, bool deleted, DateTimeOffset now) => new()
    {
        TenantId = posted.TenantId,
        Kind = SyncExceptionKind.ReconciliationDrift,
        Entity = "Invoice",
        EntityId = posted.InvoiceId.ToString("D"),
        Operation = PaymentOperation,
        FlowId = posted.FlowId,
        DealRef = posted.DealRef,
        AccountingId = posted.AccountingInvoiceId,
        Message = $"QuickBooks payment {paymentId} {(deleted ? "was deleted and" : "no longer")} applies {amount.ToString("N2", CultureInfo.InvariantCulture)} " +
                  $"to invoice {posted.DocNumber ?? posted.AccountingInvoiceId}{DealText(posted)}; QuickBooks now shows " +
                  $"{posted.Balance.ToString("N2", CultureInfo.InvariantCulture)} {posted.Currency} owed, and the deal in the CRM shows it owing again.",
        SuggestedFix = "Check in QuickBooks why the payment was removed or reduced (a returned payment, or a mistake). If by mistake, apply it " +
                       "again there and the invoice is paid again here; if it was right, follow up with the customer, then resolve this exception.",
        Detail = $"QuickBooks Payment {paymentId}, Invoice {posted.AccountingInvoiceId}",
        OccurredAt = now,
    };

    /// <summary>The transactions a credit memo links (QuickBooks adds the payments that apply it); the model keeps them among its extra fields.</summary>
    private static IReadOnlyList<QboLinkedTxn> LinkedTransactions(QboCreditMemo? memo) =>
        memo?.Extra is { } extra && extra.TryGetValue("LinkedTxn", out var links) && links.ValueKind == System.Text.Json.JsonValueKind.Array
            ? System.Text.Json.JsonSerializer.Deserialize<List<QboLinkedTxn>>(links, QboClient.Json) ?? []
            : [];

    private static string DealText(PostedInvoice posted) => posted.DealRef is { } deal ? $" (deal {deal})" : string.Empty;

    /// <summary>The payment's date as finance recorded it, else when QuickBooks created it, else now.</summary>
    private static DateTimeOffset ReceivedAt(QboPayment? payment, DateTimeOffset now) =>
        payment?.TxnDate is { } date ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
        : payment?.MetaData?.CreateTime ?? now;

    private async Task<Tracked<PostedInvoice>?> InvoiceAsync(string tenantId, string accountingInvoiceId, CancellationToken cancellationToken)
    {
        var key = PostedInvoice.Key(tenantId, accountingInvoiceId);
        if (_invoices.TryGetValue(key, out var cached))
            return cached;
        Tracked<PostedInvoice>? tracked = null;
        var stored = await unitOfWork.Store.Collection<PostedInvoice>(PostedInvoice.CollectionName).GetAsync(key, cancellationToken);
        if (stored is not null)
            tracked = new Tracked<PostedInvoice>(stored, stored.Value);
        else if (await PostedInvoiceIndex.FindPendingAsync(unitOfWork.Store, tenantId, accountingInvoiceId, cancellationToken) is { } pending)
            tracked = new Tracked<PostedInvoice>(null, PostedInvoiceIndex.FromPending(pending, time.GetUtcNow().UtcDateTime));
        _invoices[key] = tracked;
        return tracked;
    }

    private async Task<Tracked<InboundPayment>?> PaymentAsync(string tenantId, string paymentId, CancellationToken cancellationToken)
    {
        var key = InboundPayment.Key(tenantId, paymentId);
        if (_payments.TryGetValue(key, out var cached))
            return cached;
        var stored = await unitOfWork.Store.Collection<InboundPayment>(InboundPayment.CollectionName).GetAsync(key, cancellationToken);
        var tracked = stored is null ? null : new Tracked<InboundPayment>(stored, stored.Value) { Dirty = false };
        _payments[key] = tracked;
        return tracked;
    }

    /// <summary>The invoice as QuickBooks holds it now, read once per unit of work; null when it is gone.</summary>
    private async Task<QboInvoice?> CurrentInvoiceAsync(string tenantId, string id, CancellationToken cancellationToken)
    {
        if (_current.TryGetValue(id, out var invoice))
            return invoice;
        invoice = await ReadOrNullAsync<QboInvoice>(tenantId, id, cancellationToken);
        _current[id] = invoice;
        return invoice;
    }

    private async Task<T?> ReadOrNullAsync<T>(string tenantId, string id, CancellationToken cancellationToken) where T : QboEntity
    {
        try
        {
            return await client.ReadAsync<T>(tenantId, id, cancellationToken);
        }
        catch (QboException missing) when (missing.Kind == QboErrorKind.NotFound)
        {
            return null;
        }
    }
}
