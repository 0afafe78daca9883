using Microsoft.Extensions.Options;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.Adjustments;

/// <summary>
/// Drains each tenant's queue of adjustments into QuickBooks, one at a time in arrival order, through the same client
/// (so the same rate governor) as invoice posting.
/// <list type="bullet">
/// <item>A credit memo: the invoice is read (the one accounting-sync posted for the platform's invoice, unless the
/// command names one), the CreditMemo is created (a write-off's lines on the tenant's bad-debt item) and applied to the
/// invoice with a zero-amount Payment linking both, for at most what the invoice still owes; the rest stays as credit on
/// the customer's account. Answered with CreditMemoPosted, carrying the invoice's new balance.</item>
/// <item>A refund: a RefundReceipt on the tenant's refund item, paid from the command's account or the tenant's
/// refund account. Answered with RefundIssued.</item>
/// </list>
/// Each step's requestid derives from the command's ID, the step and the revision, and each step's result is recorded
/// before the next, so an adjustment resumed after a crash replays instead of writing twice. Anything QuickBooks refuses
/// for good, or that is not configured, is answered with AdjustmentFailed.
/// </summary>
public sealed class AdjustmentPostingWorker(
    IDocumentStore store,
    IServiceScopeFactory scopes,
    OutboxDelivery outbox,
    AdjustmentSignal signal,
    RealmDrainScheduler drains,
    IOptions<PostingOptions> options,
    TimeProvider time,
    ILogger<AdjustmentPostingWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Made adjustments stay in the collection: the queued ones are found through an index, not by reading them all.
        await store.Collection<PendingAdjustment>(PendingAdjustment.CollectionName).EnsureIndexAsync("status", p => p.Status, cancellationToken: stoppingToken);
        await drains.RunAsync("adjustment", TenantsWithWorkAsync, DrainAsync, ct => signal.WaitAsync(options.Value.PollInterval, ct), stoppingToken);
    }

    private async Task<IEnumerable<string>> TenantsWithWorkAsync(CancellationToken cancellationToken) =>
        (await store.Collection<PendingAdjustment>(PendingAdjustment.CollectionName).FindAsync(p => p.Status == PostingStatus.Queued, 5000, cancellationToken))
        .Select(p => p.Value.TenantId);

    /// <summary>Makes every queued adjustment of the tenant, oldest first; stops at one that has to wait (paused or transient).</summary>
    public async Task DrainAsync(string tenantId, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var queued = await store.Collection<PendingAdjustment>(PendingAdjustment.CollectionName)
                    .FindAsync(p => p.TenantId == tenantId && p.Status == PostingStatus.Queued, 1000, cancellationToken);
                if (queued.Count == 0)
                    return;
                foreach (var adjustment in queued.OrderBy(a => a.Value.Sequence))
                {
                    if (!await ProcessAsync(adjustment, cancellationToken))
                        return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Adjustments for tenant {Tenant} failed; they resume on the next pass", tenantId);
        }
    }

    /// <returns>False when the tenant's queue has to wait (QuickBooks unreachable or the connection needs re-authorisation).</returns>
    private async Task<bool> ProcessAsync(StoredDocument<PendingAdjustment> stored, CancellationToken cancellationToken)
    {
        using var trace = ServiceDefaults.Telemetry.PlatformTelemetry.ContinueTrace(stored.Value.Trace, "post adjustment");
        var adjustment = stored.Value;
        using var scope = scopes.CreateScope();
        var qbo = scope.ServiceProvider.GetRequiredService<QboClient>();
        var what = adjustment.Kind == AdjustmentKinds.Refund ? "refund" : adjustment.WriteOff ? "write-off" : "credit memo";
        try
        {
            if (await store.Collection<QboConnection>(QboConnection.CollectionName).GetAsync(adjustment.TenantId, cancellationToken) is null)
                throw new AdjustmentRefused(FailureKinds.NotConnected, "not-connected",
                    $"QuickBooks is not connected for this tenant; connect a QuickBooks company, then send the {what} again.");
            if (adjustment.Kind == AdjustmentKinds.Refund)
                await RefundAsync(stored, qbo, cancellationToken);
            else
                await CreditAsync(stored, qbo, cancellationToken);
            return true;
        }
        catch (AdjustmentRefused refused)
        {
            await FailAsync(adjustment.AdjustmentId, refused.Kind, refused.Code, refused.Message, cancellationToken);
            return true;
        }
        catch (QboException fault) when (fault.Kind == QboErrorKind.Authentication && fault.FirstCode == "not-connected")
        {
            await FailAsync(adjustment.AdjustmentId, FailureKinds.NotConnected, fault.FirstCode,
                $"QuickBooks is not connected for this tenant; connect a QuickBooks company, then send the {what} again.", cancellationToken);
            return true;
        }
        catch (QboException fault) when (fault.Kind == QboErrorKind.Authentication || fault.IsRetryable)
        {
            logger.LogWarning("The {What} {Adjustment} of tenant {Tenant} waits: {Reason}", what, adjustment.AdjustmentId, adjustment.TenantId, fault.Message);
            return false;
        }
        catch (QboException fault)
        {
            await FailAsync(adjustment.AdjustmentId, FailureKinds.For(fault), fault.FirstCode, Explain(fault, adjustment, what), cancellationToken);
            return true;
        }
    }

    private async Task CreditAsync(StoredDocument<PendingAdjustment> stored, QboClient qbo, CancellationToken cancellationToken)
    {
        var adjustment = stored.Value;
        var tenant = adjustment.TenantId;
        string? badDebtItem = null;
        if (adjustment.WriteOff)
        {
            badDebtItem = (await SettingsAsync(tenant, cancellationToken))?.BadDebtItemRef
                ?? throw new AdjustmentRefused(FailureKinds.NotConfigured, "bad-debt-item",
                    $"No bad-debt item is set for write-offs of tenant '{tenant}'; set badDebtItemRef with PUT /api/accounting/{tenant}/adjustment-settings, then send the write-off again.");
        }
        if (adjustment.Lines.Count == 0 || adjustment.Lines.Any(l => l.Amount < 0m) || adjustment.Amount <= 0m)
            throw new AdjustmentRefused(FailureKinds.Validation, "amount", "A credit needs at least one line and a positive total; no line may be negative.");

        var invoiceId = adjustment.AccountingInvoiceId ?? await PostedInvoiceAsync(adjustment, cancellationToken)
            ?? throw new AdjustmentRefused(FailureKinds.InvoiceNotPosted, "invoice-not-posted",
                $"Invoice {adjustment.InvoiceId} has not been posted to QuickBooks by the platform, so there is nothing to credit; post it first or name the QuickBooks invoice.");
        var invoice = await ReadInvoiceAsync(qbo, tenant, invoiceId, cancellationToken);
        if (invoice.CustomerRef?.Value is { } owner && owner != adjustment.CustomerRef)
            throw new AdjustmentRefused(FailureKinds.Validation, "customer-mismatch",
                $"QuickBooks invoice {invoice.DocNumber ?? invoiceId} belongs to customer {owner}, not to customer {adjustment.CustomerRef}; a credit goes to the invoice's own customer.");
        adjustment.AccountingInvoiceId = invoiceId;

        if (adjustment.AccountingCreditMemoId is null)
        {
            List<QboLine> lines;
            try
            {
                lines = adjustment.Lines.Select((line, i) =>
                {
                    var figures = SalesLineFigures.For(line);
                    return new QboLine
                    {
                        LineNum = i + 1,
                        Description = figures.Description,
                        Amount = figures.Amount,
                        DetailType = "SalesItemLineDetail",
                        SalesItemLineDetail = new QboSalesItemLineDetail
                        {
                            ItemRef = (badDebtItem ?? line.ItemRef) is { } item ? QboRef.To(item) : null,
                            Qty = figures.Quantity,
                            UnitPrice = figures.UnitPrice,
                            TaxCodeRef = line.TaxCode is { } tax ? QboRef.To(tax) : null,
                            ClassRef = line.ClassRef is { } lineClass ? QboRef.To(lineClass) : null,
                            ServiceDate = line.ServiceDate,
                        },
                    };
                }).ToList();
            }
            catch (ArgumentException invalid)
            {
                throw new AdjustmentRefused(FailureKinds.Validation, "invalid-line", invalid.Message);
            }
            var memo = await qbo.CreateAsync(tenant, new QboCreditMemo
            {
                CustomerRef = QboRef.To(adjustment.CustomerRef),
                CurrencyRef = QboRef.To(adjustment.Currency),
                DocNumber = adjustment.RequestedDocNumber,
                PrivateNote = Note(adjustment.WriteOff ? "Write-off" : "Credit", adjustment.Reason, $"invoice {invoice.DocNumber ?? invoiceId}", adjustment.PrivateNote),
                Line = lines,
            }, adjustment.RequestId("credit-memo"), cancellationToken);
            adjustment.AccountingCreditMemoId = memo.Id;
            adjustment.CreditTotal = memo.TotalAmt ?? 0m;
            adjustment.DocNumber = memo.DocNumber;
            // Decided once, from the balance read before the credit existed, and recorded before the payment is sent.
            adjustment.PlannedApplied = Math.Max(0m, Math.Min(adjustment.CreditTotal.Value, invoice.Balance ?? 0m));
            stored = await store.ReplaceAsync(PendingAdjustment.CollectionName, stored, adjustment, cancellationToken);
        }

        if (adjustment.PlannedApplied is > 0m and var applied && adjustment.AccountingPaymentId is null)
        {
            // QuickBooks applies a credit memo to an invoice through a payment of nothing that links both.
            var payment = await qbo.CreateAsync(tenant, new QboPayment
            {
                CustomerRef = QboRef.To(adjustment.CustomerRef),
                CurrencyRef = QboRef.To(adjustment.Currency),
                TotalAmt = 0m,
                PrivateNote = $"Applies credit memo {adjustment.DocNumber ?? adjustment.AccountingCreditMemoId} to invoice {invoice.DocNumber ?? invoiceId}.",
                Line =
                [
                    new QboLine { Amount = applied, LinkedTxn = [new QboLinkedTxn { TxnId = invoiceId, TxnType = "Invoice" }] },
                    new QboLine { Amount = applied, LinkedTxn = [new QboLinkedTxn { TxnId = adjustment.AccountingCreditMemoId!, TxnType = "CreditMemo" }] },
                ],
            }, adjustment.RequestId("apply"), cancellationToken);
            adjustment.AccountingPaymentId = payment.Id;
            stored = await store.ReplaceAsync(PendingAdjustment.CollectionName, stored, adjustment, cancellationToken);
        }

        var after = await ReadInvoiceAsync(qbo, tenant, invoiceId, cancellationToken);
        var total = adjustment.CreditTotal ?? 0m;
        var appliedAmount = adjustment.PlannedApplied ?? 0m;
        await SucceedAsync(stored, new CreditMemoPosted
        {
            TenantId = tenant,
            FlowId = adjustment.FlowId,
            CreditMemoId = adjustment.AdjustmentId,
            InvoiceId = adjustment.InvoiceId ?? Guid.Empty,
            AccountingCreditMemoId = adjustment.AccountingCreditMemoId!,
            AccountingInvoiceId = invoiceId,
            DocNumber = adjustment.DocNumber ?? string.Empty,
            Amount = total,
            AppliedAmount = appliedAmount,
            UnappliedCredit = total - appliedAmount,
            InvoiceBalance = after.Balance ?? 0m,
            AccountingPaymentId = adjustment.AccountingPaymentId,
            WriteOff = adjustment.WriteOff,
            PostedAt = time.GetUtcNow(),
        }, cancellationToken);
    }

    private async Task RefundAsync(StoredDocument<PendingAdjustment> stored, QboClient qbo, CancellationToken cancellationToken)
    {
        var adjustment = stored.Value;
        var tenant = adjustment.TenantId;
        var settings = await SettingsAsync(tenant, cancellationToken);
        var item = settings?.RefundItemRef ?? throw new AdjustmentRefused(FailureKinds.NotConfigured, "refund-item",
            $"No refund item is set for tenant '{tenant}'; set refundItemRef with PUT /api/accounting/{tenant}/adjustment-settings, then send the refund again.");
        var account = adjustment.DepositToAccountRef ?? settings.RefundAccountRef ?? throw new AdjustmentRefused(FailureKinds.NotConfigured, "refund-account",
            $"The refund names no account to pay it from and tenant '{tenant}' has no refund account; set refundAccountRef with PUT /api/accounting/{tenant}/adjustment-settings or name the account in the command.");
        if (adjustment.Amount <= 0m)
            throw new AdjustmentRefused(FailureKinds.Validation, "amount", $"A refund needs a positive amount, not {adjustment.Amount}.");

        if (adjustment.AccountingRefundReceiptId is null)
        {
            QboRef? method = null;
            if (adjustment.PaymentMethod is { } methodName)
            {
                var found = await qbo.QueryAsync<QboPaymentMethod>(tenant, QboQuery.From("PaymentMethod").Where("Name", "=", methodName), cancellationToken);
                method = found.Items.FirstOrDefault() is { Id: { } id } known ? QboRef.To(id, known.Name)
                    : throw new AdjustmentRefused(FailureKinds.Validation, "unknown-payment-method",
                        $"The payment method '{methodName}' does not exist in QuickBooks; add it there or send a method QuickBooks has (Cash, Check, …).");
            }
            var invoiceNumber = adjustment.InvoiceId is { } invoiceId
                ? (await store.Collection<PendingInvoice>(PendingInvoice.CollectionName).GetAsync(invoiceId.ToString("D"), cancellationToken))?.Value.DocNumber
                : null;
            var receipt = await qbo.CreateAsync(tenant, new QboRefundReceipt
            {
                CustomerRef = QboRef.To(adjustment.CustomerRef),
                CurrencyRef = QboRef.To(adjustment.Currency),
                DepositToAccountRef = QboRef.To(account),
                PaymentMethodRef = method,
                PrivateNote = Note("Refund", adjustment.Reason, invoiceNumber is null ? null : $"invoice {invoiceNumber}", adjustment.PrivateNote),
                Line =
                [
                    new QboLine
                    {
                        LineNum = 1,
                        Description = adjustment.Reason,
                        Amount = adjustment.Amount,
                        DetailType = "SalesItemLineDetail",
                        SalesItemLineDetail = new QboSalesItemLineDetail { ItemRef = QboRef.To(item) },
                    },
                ],
            }, adjustment.RequestId("refund"), cancellationToken);
            adjustment.AccountingRefundReceiptId = receipt.Id;
            adjustment.DocNumber = receipt.DocNumber;
            adjustment.DepositToAccountRef = account;
            stored = await store.ReplaceAsync(PendingAdjustment.CollectionName, stored, adjustment, cancellationToken);
        }

        await SucceedAsync(stored, new RefundIssued
        {
            TenantId = tenant,
            FlowId = adjustment.FlowId,
            RefundId = adjustment.AdjustmentId,
            AccountingRefundReceiptId = adjustment.AccountingRefundReceiptId!,
            DocNumber = adjustment.DocNumber ?? string.Empty,
            Amount = adjustment.Amount,
            DepositToAccountRef = adjustment.DepositToAccountRef ?? account,
            IssuedAt = time.GetUtcNow(),
        }, cancellationToken);
    }

    private async Task<QboInvoice> ReadInvoiceAsync(QboClient qbo, string tenantId, string invoiceId, CancellationToken cancellationToken)
    {
        try
        {
            return await qbo.ReadAsync<QboInvoice>(tenantId, invoiceId, cancellationToken);
        }
        catch (QboException fault) when (fault.Kind == QboErrorKind.NotFound)
        {
            throw new AdjustmentRefused(FailureKinds.InvoiceNotPosted, fault.FirstCode,
                $"QuickBooks invoice {invoiceId} no longer exists (it was deleted there), so it cannot be credited.");
        }
    }

    /// <summary>The QuickBooks invoice accounting-sync posted for the platform's invoice, if it did.</summary>
    private async Task<string?> PostedInvoiceAsync(PendingAdjustment adjustment, CancellationToken cancellationToken)
    {
        if (adjustment.InvoiceId is not { } invoiceId)
            return null;
        var posted = await store.Collection<PendingInvoice>(PendingInvoice.CollectionName).GetAsync(invoiceId.ToString("D"), cancellationToken);
        return posted is { Value: { Status: PostingStatus.Posted, TenantId: var tenant, AccountingInvoiceId: { } id } } && tenant == adjustment.TenantId ? id : null;
    }

    private async Task<AdjustmentSettings?> SettingsAsync(string tenantId, CancellationToken cancellationToken) =>
        (await store.Collection<AdjustmentSettings>(AdjustmentSettings.CollectionName).GetAsync(tenantId, cancellationToken))?.Value;

    private static string Note(string what, string reason, string? about, string? privateNote)
    {
        var head = $"{what}{(about is null ? "" : " for " + about)}: {reason.Trim()}";
        return string.IsNullOrWhiteSpace(privateNote) ? head : head + "\n" + privateNote.Trim();
    }

    private static string Explain(QboException fault, PendingAdjustment adjustment, string what)
    {
        var detail = FailureKinds.Detail(fault);
        return FailureKinds.For(fault) switch
        {
            FailureKinds.DuplicateDocNumber => $"QuickBooks already has a {what} numbered '{adjustment.RequestedDocNumber}'; send it again with another number. ({detail})",
            FailureKinds.ClosedPeriod => $"The books are closed in QuickBooks for today's date, so the {what} cannot be recorded; finance must reopen the period. ({detail})",
            nameof(QboErrorKind.NotFound) => $"QuickBooks could not find something the {what} refers to (customer, item or account): {detail}",
            _ => $"QuickBooks refused the {what}: {detail}",
        };
    }

    private async Task SucceedAsync<T>(StoredDocument<PendingAdjustment> stored, T answer, CancellationToken cancellationToken) where T : class
    {
        var adjustment = stored.Value;
        adjustment.Status = PostingStatus.Posted;
        adjustment.Attempts++;
        adjustment.Error = null;
        adjustment.FailureKind = null;
        adjustment.Completed = time.GetUtcNow().UtcDateTime;
        var unitOfWork = new UnitOfWork(store, outbox, time);
        unitOfWork.Replace(PendingAdjustment.CollectionName, stored, adjustment);
        unitOfWork.Publish(answer);
        unitOfWork.Publish(new SyncSucceeded
        {
            TenantId = adjustment.TenantId, Entity = ExceptionEntity(adjustment), EntityId = adjustment.AdjustmentId.ToString("D"),
            Operation = ExceptionOperation(adjustment), AccountingId = adjustment.AccountingCreditMemoId ?? adjustment.AccountingRefundReceiptId,
            SucceededAt = time.GetUtcNow(),
        });
        await unitOfWork.CommitAsync(cancellationToken);
    }

    private async Task FailAsync(Guid adjustmentId, string kind, string? code, string message, CancellationToken cancellationToken)
    {
        // Read again: the steps done so far were recorded on their own, after the version this pass started with.
        var stored = await store.Collection<PendingAdjustment>(PendingAdjustment.CollectionName).GetAsync(PendingAdjustment.KeyFor(adjustmentId), cancellationToken)
            ?? throw new InvalidOperationException($"Adjustment {adjustmentId} vanished while it was being made.");
        var adjustment = stored.Value;
        adjustment.Status = PostingStatus.Failed;
        adjustment.Attempts++;
        adjustment.FailureKind = kind;
        adjustment.Error = message;
        adjustment.Completed = time.GetUtcNow().UtcDateTime;
        logger.LogWarning("The {Kind} {Adjustment} of tenant {Tenant} failed: {FailureKind} {Message}", adjustment.Kind, adjustmentId, adjustment.TenantId, kind, message);
        var unitOfWork = new UnitOfWork(store, outbox, time);
        unitOfWork.Replace(PendingAdjustment.CollectionName, stored, adjustment);
        unitOfWork.Publish(new AdjustmentFailed
        {
            TenantId = adjustment.TenantId,
            FlowId = adjustment.FlowId,
            AdjustmentId = adjustmentId,
            Adjustment = adjustment.Kind,
            Kind = kind,
            Code = code,
            Message = message,
            FailedAt = time.GetUtcNow(),
        });
        unitOfWork.Publish(RaisedFor(adjustment, kind, code, message, time.GetUtcNow()));
        await unitOfWork.CommitAsync(cancellationToken);
    }

    /// <summary>The entity and operation the exception queue files an adjustment under: CreditMemo/PostCreditMemo or Refund/IssueRefund.</summary>
    public static string ExceptionEntity(PendingAdjustment adjustment) => adjustment.Kind;

    public static string ExceptionOperation(PendingAdjustment adjustment) =>
        adjustment.Kind == AdjustmentKinds.Refund ? nameof(IssueRefund) : nameof(PostCreditMemo);

    private static OpenSyncException RaisedFor(PendingAdjustment adjustment, string kind, string? code, string message, DateTimeOffset now)
    {
        var what = adjustment.Kind == AdjustmentKinds.Refund ? "refund" : adjustment.WriteOff ? "write-off" : "credit memo";
        var amount = adjustment.Amount.ToString("N2", System.Globalization.CultureInfo.InvariantCulture);
        var fix = kind switch
        {
            FailureKinds.NotConnected => "Connect the tenant's QuickBooks company, then press Retry.",
            FailureKinds.NotConfigured => $"Set the missing item or account with PUT /api/accounting/{adjustment.TenantId}/adjustment-settings, then press Retry.",
            FailureKinds.InvoiceNotPosted => "Post the invoice first (or name the QuickBooks invoice in the adjustment), then press Retry.",
            FailureKinds.ClosedPeriod => $"Reopen the period in QuickBooks for today's date, then press Retry.",
            FailureKinds.DuplicateDocNumber => $"Ask for the {what} again with a number QuickBooks does not have yet.",
            _ => "Correct what QuickBooks names (customer, item or account in QuickBooks, or the request in billing), then press Retry.",
        };
        return new OpenSyncException
        {
            TenantId = adjustment.TenantId,
            Kind = kind == FailureKinds.NotConnected ? SyncExceptionKind.AuthorizationExpired : SyncExceptionKind.Validation,
            Entity = ExceptionEntity(adjustment),
            EntityId = adjustment.AdjustmentId.ToString("D"),
            Operation = ExceptionOperation(adjustment),
            FlowId = adjustment.FlowId,
            AccountingId = adjustment.AccountingInvoiceId,
            RequestId = adjustment.RequestId(adjustment.Kind == AdjustmentKinds.Refund ? "refund" : "credit-memo"),
            Message = $"The {what} of {amount} {adjustment.Currency} was not recorded in QuickBooks: {message}",
            SuggestedFix = fix,
            Detail = code is null ? kind : $"{kind} {code}",
            OccurredAt = now,
        };
    }

    /// <summary>Something the adjustment needs is missing or wrong; QuickBooks was not (or no further) written.</summary>
    private sealed class AdjustmentRefused(string kind, string? code, string message) : Exception(message)
    {
        public string Kind { get; } = kind;
        public string? Code { get; } = code;
    }
}
