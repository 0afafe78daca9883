using System.Text.Json;
using Microsoft.Extensions.Options;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Domain.Outbound;
using QuoteToCash.AccountingSync.Infrastructure.Outbound;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Infrastructure.ReferenceData;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Telemetry;

namespace QuoteToCash.AccountingSync.Infrastructure.Posting;

/// <summary>
/// Drains each tenant's queue of invoices into QuickBooks. A realm with a backlog gets batches of up to 30
/// (planned and stored before they are sent, so a resend after a crash is the same batch with the same
/// requestid); a lone invoice goes as a single create whose requestid is the invoice's own ID (per revision). The rate
/// governor paces everything; results become InvoicePosted or InvoicePostingFailed through the outbox.
/// Before anything is sent each invoice is prepared: its terms are resolved to a QuickBooks Term, and its date is checked
/// against the company's closing date, where the command's policy moves it to the first open day or holds it for finance.
/// </summary>
public sealed class InvoicePostingWorker(
    IDocumentStore store,
    IServiceScopeFactory scopes,
    OutboxDelivery outbox,
    InvoicePostingSignal signal,
    RealmDrainScheduler drains,
    IOptions<PostingOptions> options,
    TimeProvider time,
    ILogger<InvoicePostingWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Posted invoices stay in the collection (the inbound side finds them there); every pass asks only for the
        // queued and in-flight ones, so that question goes through an index instead of reading every invoice ever posted.
        await store.Collection<PendingInvoice>(PendingInvoice.CollectionName).EnsureIndexAsync("status", p => p.Status, cancellationToken: stoppingToken);
        await drains.RunAsync("invoice", TenantsWithWorkAsync, DrainAsync, ct => signal.WaitAsync(options.Value.PollInterval, ct), stoppingToken);
    }

    private async Task<IEnumerable<string>> TenantsWithWorkAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // One equality question per status: each goes through the status index (the embedded store answers an "or"
        // by reading the whole collection).
        var invoices = store.Collection<PendingInvoice>(PendingInvoice.CollectionName);
        var queued = await invoices.FindAsync(p => p.Status == PostingStatus.Queued, 5000, cancellationToken);
        var inFlight = await invoices.FindAsync(p => p.Status == PostingStatus.InFlight, 5000, cancellationToken);
        return inFlight.Select(p => p.Value.TenantId).Concat(queued.Where(p => Due(p.Value, now)).Select(p => p.Value.TenantId)).Distinct();
    }

    private static bool Due(PendingInvoice invoice, DateTime now) => invoice.NotBefore is not { } notBefore || notBefore <= now;

    /// <summary>Posts everything queued for the tenant, resuming planned batches first.</summary>
    public async Task DrainAsync(string tenantId, CancellationToken cancellationToken)
    {
        try
        {
            var batches = (await store.Collection<PostingBatch>(PostingBatch.CollectionName).FindAsync(b => b.TenantId == tenantId, cancellationToken: cancellationToken))
                .Where(b => b.Value.NotBefore is not { } notBefore || notBefore <= time.GetUtcNow().UtcDateTime).ToList();
            await System.Threading.Tasks.Parallel.ForEachAsync(batches, ParallelOptionsFor(cancellationToken), async (batch, ct) => await SendBatchAsync(batch.Value, ct));
            // A single create whose answer was never recorded (the process stopped meanwhile) goes again as that single,
            // with its requestid, so QuickBooks replays it; in a batch it would be a new request and a second invoice.
            var unansweredSingles = (await store.Collection<PendingInvoice>(PendingInvoice.CollectionName)
                    .FindAsync(p => p.Status == PostingStatus.InFlight && p.TenantId == tenantId, 1000, cancellationToken))
                .Where(p => p.Value.BatchRequestId is null && Due(p.Value, time.GetUtcNow().UtcDateTime)).OrderBy(p => p.Value.Sequence).ToList();
            foreach (var single in unansweredSingles)
                await PostSingleAsync(single, cancellationToken);

            var lingered = TimeSpan.Zero;
            var previous = -1;
            while (!cancellationToken.IsCancellationRequested)
            {
                var now = time.GetUtcNow().UtcDateTime;
                var queued = (await store.Collection<PendingInvoice>(PendingInvoice.CollectionName)
                    .FindAsync(p => p.TenantId == tenantId && p.Status == PostingStatus.Queued, 1000, cancellationToken))
                    .Where(p => Due(p.Value, now)).ToList();
                if (queued.Count == 0)
                    return;
                // A lone invoice goes at once, as a single request (500 a minute). Batch requests are the scarce
                // budget (40 a minute): once several are queued, more are still arriving and half the realm's batch
                // requests of the window are spent, wait a moment for a fuller batch instead of spending one on a handful.
                var (batchHeadroom, batchesPerWindow) = queued.Count >= options.Value.BatchThreshold ? await BatchHeadroomAsync(tenantId, cancellationToken) : (0, 0);
                if (PostingPace.ShouldLinger(queued.Count, previous, lingered, options.Value.BatchThreshold, options.Value.BatchSize, options.Value.MaxLinger,
                        batchHeadroom, batchesPerWindow))
                {
                    previous = queued.Count;
                    lingered += options.Value.Linger;
                    await Task.Delay(options.Value.Linger, time, cancellationToken);
                    continue;
                }
                lingered = TimeSpan.Zero;
                previous = -1;
                var ordered = queued.OrderBy(p => p.Value.Sequence).ToList();
                if (ordered.Count < options.Value.BatchThreshold)
                {
                    await PostSingleAsync(ordered[0], cancellationToken);
                    continue;
                }
                var planned = new List<PostingBatch>();
                foreach (var chunk in ordered.Chunk(options.Value.BatchSize).Take(options.Value.ParallelBatches * 4))
                    planned.Add(await PlanBatchAsync(tenantId, chunk, cancellationToken));
                await System.Threading.Tasks.Parallel.ForEachAsync(planned, ParallelOptionsFor(cancellationToken), async (batch, ct) => await SendBatchAsync(batch, ct));
            }
        }
        catch (QboException exception) when (exception.Kind == QboErrorKind.Authentication)
        {
            logger.LogWarning("Posting for tenant {Tenant} paused: {Reason}", tenantId, exception.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Posting for tenant {Tenant} failed; it resumes on the next pass", tenantId);
        }
    }

    /// <summary>Batch requests the tenant's realm may still send in the current window, and how many a window allows.</summary>
    private async Task<(int Headroom, int PerWindow)> BatchHeadroomAsync(string tenantId, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<QboClient>().BatchHeadroomAsync(tenantId, cancellationToken);
    }

    private ParallelOptions ParallelOptionsFor(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Math.Max(1, options.Value.ParallelBatches), CancellationToken = cancellationToken };

    private async Task<PostingBatch> PlanBatchAsync(string tenantId, IReadOnlyList<StoredDocument<PendingInvoice>> invoices, CancellationToken cancellationToken)
    {
        var ids = invoices.Select(i => i.Value.InvoiceId).ToList();
        // A later revision of an invoice is a different request: its batch must not replay an earlier batch's answer.
        var members = invoices.Select(i => i.Value.Revision == 0
            ? i.Value.InvoiceId.ToString("N")
            : $"{i.Value.InvoiceId:N}.{i.Value.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        var batch = new PostingBatch
        {
            RequestId = DeterministicId.Create("qbo-batch", tenantId, string.Join(',', members)).ToString("N"),
            TenantId = tenantId,
            InvoiceIds = ids,
            Planned = time.GetUtcNow().UtcDateTime,
        };
        var writes = new List<DocumentWrite> { DocumentWrite.Upsert(PostingBatch.CollectionName, batch.RequestId, batch) };
        foreach (var invoice in invoices)
        {
            invoice.Value.Status = PostingStatus.InFlight;
            invoice.Value.BatchRequestId = batch.RequestId;
            writes.Add(DocumentWrite.Replace(PendingInvoice.CollectionName, invoice.Id, invoice.Value, invoice.Version));
        }
        await store.CommitAsync(writes, cancellationToken);
        return batch;
    }

    private async Task SendBatchAsync(PostingBatch batch, CancellationToken cancellationToken)
    {
        var collection = store.Collection<PendingInvoice>(PendingInvoice.CollectionName);
        var members = new List<(StoredDocument<PendingInvoice> Invoice, string BatchId)>();
        foreach (var (id, index) in batch.InvoiceIds.Select((id, index) => (id, index)))
        {
            if (await collection.GetAsync(id.ToString("D"), cancellationToken) is { Value.Status: PostingStatus.InFlight } member)
                members.Add((member, BatchItemId(index)));
        }
        if (members.Count == 0)
        {
            await store.DeleteAsync(PostingBatch.CollectionName, batch.RequestId, cancellationToken: cancellationToken);
            return;
        }
        using var trace = PlatformTelemetry.ContinueBatch("post invoice batch", members.Select(m => m.Invoice.Value.Trace));
        using var scope = scopes.CreateScope();
        var client = scope.ServiceProvider.GetRequiredService<QboClient>();
        var book = scope.ServiceProvider.GetRequiredService<ReferenceDataBook>();

        var outcomes = new List<Outcome>();
        var items = new List<(QboBatchItem Item, StoredDocument<PendingInvoice> Invoice, Prepared Prepared)>();
        foreach (var (member, batchId) in members)
        {
            var prepared = await PrepareAsync(member.Value, book, cancellationToken);
            if (prepared.Refusal is { } refusal)
                outcomes.Add(new Outcome(member, null, null, refusal, prepared));
            else
                items.Add((new QboBatchItem(batchId, "create", prepared.Invoice!), member, prepared));
        }
        if (items.Count > 0)
        {
            IReadOnlyList<QboBatchResult>? results = null;
            try
            {
                results = await client.BatchAsync(batch.TenantId, items.Select(i => i.Item).ToList(), batch.RequestId, cancellationToken);
            }
            catch (QboException exception) when (!exception.IsRetryable && exception.Kind != QboErrorKind.Authentication)
            {
                outcomes.AddRange(items.Select(i => new Outcome(i.Invoice, null, exception, null, i.Prepared)));
            }
            catch (QboException exception) when (exception.IsRetryable)
            {
                // No answer for the whole batch: QuickBooks may have applied it, so it is resent as it is (same requestid) after a backoff.
                await DeferBatchAsync(batch, items.Select(i => i.Invoice.Value).ToList(), exception, cancellationToken);
                return;
            }
            if (results is not null)
            {
                var byId = results.ToDictionary(r => r.BatchId);
                outcomes.AddRange(items.Select(i =>
                {
                    var result = byId.GetValueOrDefault(i.Item.BatchId);
                    return new Outcome(i.Invoice, result?.Entity, result is null
                        ? new QboException(QboErrorKind.Transient, null, [new QboErrorDetail("missing", "No answer for this batch item", null, null)], null)
                        : result.Fault, null, i.Prepared);
                }));
            }
        }
        await CompleteAsync(outcomes, batch.RequestId, book, cancellationToken);
    }

    private async Task DeferBatchAsync(PostingBatch batch, IReadOnlyList<PendingInvoice> members, QboException fault, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        batch.UnansweredPasses++;
        batch.NotBefore = (now + Backoff(batch.UnansweredPasses)).UtcDateTime;
        var unitOfWork = new UnitOfWork(store, outbox, time);
        unitOfWork.Upsert(PostingBatch.CollectionName, batch.RequestId, batch);
        if (batch.UnansweredPasses >= options.Value.UnansweredPatience)
        {
            foreach (var member in members)
                unitOfWork.Publish(RaisedFor(member, Unanswered(fault, batch.UnansweredPasses), fault, now)! with { RequestId = batch.RequestId });
        }
        await unitOfWork.CommitAsync(cancellationToken);
        logger.LogWarning("Batch {Batch} of tenant {Tenant} got no answer ({Passes} in a row); resent after {NotBefore:o}", batch.RequestId, batch.TenantId,
            batch.UnansweredPasses, batch.NotBefore);
    }

    private async Task PostSingleAsync(StoredDocument<PendingInvoice> invoice, CancellationToken cancellationToken)
    {
        using var trace = invoice.Value.Trace.ContinueTrace("post invoice").WithFlow(invoice.Value.TenantId, invoice.Value.FlowId);
        using var scope = scopes.CreateScope();
        var client = scope.ServiceProvider.GetRequiredService<QboClient>();
        var book = scope.ServiceProvider.GetRequiredService<ReferenceDataBook>();
        var prepared = await PrepareAsync(invoice.Value, book, cancellationToken);
        JsonElement? created = null;
        QboException? fault = null;
        if (prepared.Refusal is null)
        {
            if (invoice.Value.Status != PostingStatus.InFlight)
            {
                // Recorded as sent alone before it is sent, so that if its answer is lost it is only ever sent again alone
                // (with its requestid, which QuickBooks replays); in a batch it would be a new request and a second invoice.
                invoice.Value.Status = PostingStatus.InFlight;
                invoice.Value.BatchRequestId = null;
                invoice = await store.ReplaceAsync(PendingInvoice.CollectionName, invoice, invoice.Value, cancellationToken);
            }
            try
            {
                var result = await client.CreateAsync(invoice.Value.TenantId, prepared.Invoice!, invoice.Value.RequestId, cancellationToken);
                created = JsonSerializer.SerializeToElement(result, QboClient.Json);
            }
            catch (QboException exception) when (exception.Kind == QboErrorKind.Authentication)
            {
                // Refused before anything was made (the connection): back in the queue, and the realm pauses.
                invoice.Value.Status = PostingStatus.Queued;
                await store.ReplaceAsync(PendingInvoice.CollectionName, invoice, invoice.Value, cancellationToken);
                throw;
            }
            catch (QboException exception)
            {
                fault = exception;
            }
        }
        await CompleteAsync([new Outcome(invoice, created, fault, prepared.Refusal, prepared)], null, book, cancellationToken);
    }

    /// <summary>The QuickBooks invoice to send, or why it is not sent.</summary>
    private sealed record Prepared(QboInvoice? Invoice, Refused? Refusal, DateOnly? RequestedDate, string? Note);

    private sealed record Refused(string Kind, string? Code, string Message, DateOnly? ClosingDate = null);

    private sealed record Outcome(StoredDocument<PendingInvoice> Invoice, JsonElement? Created, QboException? Fault, Refused? Refusal, Prepared Prepared);

    /// <summary>Resolves the terms and applies the closed-books policy; QuickBooks is asked only when the kept reference data cannot answer.</summary>
    private async Task<Prepared> PrepareAsync(PendingInvoice invoice, ReferenceDataBook book, CancellationToken cancellationToken)
    {
        QboRef? terms = invoice.SalesTermRef is { } termId ? QboRef.To(termId) : null;
        if (terms is null && invoice.PaymentTerms is { } termName)
        {
            terms = await book.FindTermAsync(invoice.TenantId, termName, cancellationToken);
            if (terms is null)
                return new Prepared(null, new Refused(FailureKinds.Validation, "unknown-terms",
                    $"The payment terms '{termName}' do not exist in QuickBooks; create them there or send terms QuickBooks has."), null, null);
        }

        var closing = await book.ClosingDateAsync(invoice.TenantId, options.Value.ClosingDateMaxAge, cancellationToken);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var decision = ClosedBooksRule.Decide(invoice.InvoiceDate == default ? null : invoice.InvoiceDate, invoice.DueDate == default ? null : invoice.DueDate,
            closing, invoice.ClosedBooks, today);
        if (decision.Action == ClosedBooksAction.Hold)
            return new Prepared(null, new Refused(FailureKinds.ClosedPeriod, "closed-period", decision.Note!, closing), null, null);

        try
        {
            var requested = decision.Action == ClosedBooksAction.Move ? invoice.InvoiceDate == default ? today : invoice.InvoiceDate : (DateOnly?)null;
            return new Prepared(ToQbo(invoice, terms, decision.InvoiceDate, decision.DueDate), null, requested, decision.Note);
        }
        catch (ArgumentException invalid)
        {
            return new Prepared(null, new Refused(FailureKinds.Validation, "invalid-line", invalid.Message), null, null);
        }
    }

    private async Task CompleteAsync(IReadOnlyList<Outcome> outcomes, string? batchRequestId, ReferenceDataBook book, CancellationToken cancellationToken)
    {
        // QuickBooks refused a date the kept closing date allowed: read the closing date again before deciding what to do.
        DateOnly? freshClosing = null;
        if (outcomes.Any(o => o.Fault?.Kind == QboErrorKind.ClosedPeriod))
            freshClosing = await book.RefreshClosingDateAsync(outcomes[0].Invoice.Value.TenantId, cancellationToken);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RecordOutcomesAsync(outcomes, batchRequestId, freshClosing, cancellationToken);
                return;
            }
            catch (ConcurrencyConflictException conflict) when (conflict.Collection == PendingInvoice.CollectionName && attempt < 5)
            {
                // The one other writer of an invoice on its way is an operation that holds for it (it marks the invoice
                // awaited). What QuickBooks answered stands: record it on the invoice as stored now. Sending it again
                // instead could go in a batch, under another requestid, and make a second invoice.
                outcomes = await ReloadAsync(outcomes, cancellationToken);
            }
        }
    }

    /// <summary>The outcomes on the invoices as stored now; one already decided meanwhile (posted or failed) is left out.</summary>
    private async Task<IReadOnlyList<Outcome>> ReloadAsync(IReadOnlyList<Outcome> outcomes, CancellationToken cancellationToken)
    {
        var collection = store.Collection<PendingInvoice>(PendingInvoice.CollectionName);
        var reloaded = new List<Outcome>();
        foreach (var outcome in outcomes)
        {
            if (await collection.GetAsync(outcome.Invoice.Id, cancellationToken) is { Value.Status: PostingStatus.Queued or PostingStatus.InFlight } fresh)
                reloaded.Add(outcome with { Invoice = fresh });
        }
        return reloaded;
    }

    private async Task RecordOutcomesAsync(IReadOnlyList<Outcome> outcomes, string? batchRequestId, DateOnly? freshClosing, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var unitOfWork = new UnitOfWork(store, outbox, time);
        foreach (var (document, created, fault, refusal, prepared) in outcomes)
        {
            using var trace = document.Value.Trace.ContinueTrace("record posting outcome").WithFlow(document.Value.TenantId, document.Value.FlowId);
            var invoice = document.Value;
            invoice.BatchRequestId = null;
            if (refusal is null)
                invoice.Attempts++;
            if (created is { } entity)
            {
                var qbo = entity.Deserialize<QboInvoice>(QboClient.Json)!;
                invoice.Status = PostingStatus.Posted;
                invoice.AccountingInvoiceId = qbo.Id;
                invoice.DocNumber = qbo.DocNumber;
                invoice.Total = qbo.TotalAmt;
                invoice.Balance = qbo.Balance;
                invoice.PostedInvoiceDate = qbo.TxnDate;
                invoice.PostedDueDate = qbo.DueDate;
                invoice.Note = prepared.Note;
                invoice.Posted = now.UtcDateTime;
                invoice.Error = null;
                invoice.FailureKind = null;
                invoice.UnansweredPasses = 0;
                invoice.NotBefore = null;
                unitOfWork.Publish(new SyncSucceeded
                {
                    TenantId = invoice.TenantId, Entity = ExceptionEntity, EntityId = invoice.InvoiceId.ToString("D"), Operation = ExceptionOperation,
                    AccountingId = qbo.Id, SucceededAt = now,
                });
                unitOfWork.Publish(new InvoicePosted
                {
                    TenantId = invoice.TenantId,
                    FlowId = invoice.FlowId,
                    InvoiceId = invoice.InvoiceId,
                    AccountingInvoiceId = qbo.Id ?? string.Empty,
                    DocNumber = qbo.DocNumber ?? string.Empty,
                    Total = qbo.TotalAmt ?? 0m,
                    Balance = qbo.Balance ?? 0m,
                    PostedAt = now,
                    InvoiceDate = qbo.TxnDate,
                    DueDate = qbo.DueDate,
                    RequestedInvoiceDate = prepared.RequestedDate,
                    Note = prepared.Note,
                });
                if (invoice.Awaited)
                {
                    // What waited for this invoice in the outbound queue goes now, in the order it was held.
                    await OutboundQueue.ReleaseWaitingForAsync(unitOfWork, OutboundOrder.InvoiceSubject(invoice.InvoiceId), cancellationToken);
                    invoice.Awaited = false;
                }
            }
            else if (fault is { Kind: QboErrorKind.ClosedPeriod } && invoice.ClosedBooks == ClosedBooksPolicy.MoveToFirstOpenDate
                     && invoice.ClosedPeriodRefusals == 0 && freshClosing is not null)
            {
                // The books were closed after the kept closing date was read: go again, and the next preparation moves it.
                invoice.ClosedPeriodRefusals++;
                invoice.Revision++;
                invoice.Status = PostingStatus.Queued;
                invoice.Error = fault.Message;
            }
            else if (fault is { IsRetryable: true })
            {
                // Throttled or unanswered: it goes again after a backoff that doubles each time. A single QuickBooks did not
                // answer may have been made there: it stays a single, to be sent again alone with its requestid; the rest
                // may go in a later batch.
                invoice.Status = fault.Kind == QboErrorKind.Transient && batchRequestId is null ? PostingStatus.InFlight : PostingStatus.Queued;
                invoice.Error = fault.Message;
                if (fault.Kind != QboErrorKind.StaleObject)
                {
                    invoice.UnansweredPasses++;
                    invoice.NotBefore = (now + Backoff(invoice.UnansweredPasses)).UtcDateTime;
                    if (invoice.UnansweredPasses >= options.Value.UnansweredPatience)
                        unitOfWork.Publish(RaisedFor(invoice, Unanswered(fault, invoice.UnansweredPasses), fault, now)!);
                }
            }
            else
            {
                var failure = refusal ?? Explain(fault, invoice, prepared, freshClosing);
                if (RaisedFor(invoice, failure, fault, now) is { } raised)
                    unitOfWork.Publish(raised);
                invoice.Status = PostingStatus.Failed;
                invoice.FailureKind = failure.Kind;
                invoice.Error = failure.Message;
                unitOfWork.Publish(new InvoicePostingFailed
                {
                    TenantId = invoice.TenantId,
                    FlowId = invoice.FlowId,
                    InvoiceId = invoice.InvoiceId,
                    Kind = failure.Kind,
                    Code = failure.Code,
                    Message = failure.Message,
                    FailedAt = now,
                    DocNumber = failure.Kind == FailureKinds.DuplicateDocNumber ? invoice.RequestedDocNumber : null,
                    ClosingDate = failure.ClosingDate,
                });
            }
            unitOfWork.Replace(PendingInvoice.CollectionName, document, invoice);
        }
        if (batchRequestId is not null)
            unitOfWork.Delete(PostingBatch.CollectionName, batchRequestId);
        await unitOfWork.CommitAsync(cancellationToken);
    }

    /// <summary>The entity and operation the exception queue files invoice postings under.</summary>
    public const string ExceptionEntity = "Invoice";
    public const string ExceptionOperation = "PostInvoice";

    private static Refused Unanswered(QboException fault, int passes) => new(fault.Kind.ToString(), fault.FirstCode,
        fault.Kind == QboErrorKind.Throttled
            ? $"QuickBooks kept throttling the company's requests ({passes} attempts so far); the invoice stays queued and goes again by itself."
            : $"QuickBooks did not answer ({passes} attempts so far: {FailureKinds.Detail(fault)}); the invoice stays queued and goes again by itself.");

    private TimeSpan Backoff(int unansweredPasses) =>
        PostingPace.UnansweredBackoff(unansweredPasses, options.Value.UnansweredBackoff, options.Value.MaxUnansweredBackoff);

    /// <summary>
    /// The exception finance sees for a failed invoice, or null for a taken number billing renumbers by itself (only a
    /// third refusal in a row, when renumbering is not getting anywhere, is raised).
    /// </summary>
    private static OpenSyncException? RaisedFor(PendingInvoice invoice, Refused failure, QboException? fault, DateTimeOffset now)
    {
        if (failure.Kind == FailureKinds.DuplicateDocNumber && invoice.Revision < 2)
            return null;
        var number = invoice.RequestedDocNumber is { } doc ? $"Invoice {doc}" : "The invoice";
        var deal = DealReference.FromNote(invoice.PrivateNote ?? invoice.Memo);
        var total = invoice.Lines.Sum(l => l.Amount).ToString("N2", System.Globalization.CultureInfo.InvariantCulture);
        var subject = $"{number} of {total} {invoice.Currency}{(deal is null ? "" : $" for deal {deal}")} was not posted to QuickBooks: ";
        var (kind, fix) = failure.Kind switch
        {
            FailureKinds.NotConnected => (SyncExceptionKind.AuthorizationExpired, "Connect the tenant's QuickBooks company, then press Retry."),
            FailureKinds.ClosedPeriod => (SyncExceptionKind.Validation,
                "Reopen the period in QuickBooks, or change the tenant's closed-books policy in billing to move invoices to the first open day, then press Retry."),
            FailureKinds.DuplicateDocNumber => (SyncExceptionKind.Validation,
                "The numbers billing gives keep colliding with invoices made in QuickBooks: move billing's next invoice number past QuickBooks' numbers, then press Retry."),
            nameof(QboErrorKind.Transient) => (SyncExceptionKind.QboUnavailable,
                "Nothing on the invoice needs fixing. Check QuickBooks' status; once it answers, press Retry (the same requestid is sent, so the invoice cannot be posted twice)."),
            nameof(QboErrorKind.Throttled) => (SyncExceptionKind.RateLimited,
                "Nothing on the invoice needs fixing. Another app may be using up the company's QuickBooks allowance; press Retry later (the same requestid is sent, so the invoice cannot be posted twice)."),
            nameof(QboErrorKind.NotFound) => (SyncExceptionKind.Validation,
                "Check that the customer and every item on the invoice exist and are active in QuickBooks (reactivate or re-map them), then press Retry."),
            _ when failure.Code == "unknown-terms" => (SyncExceptionKind.Validation,
                "Create these payment terms in QuickBooks, or give the deal terms QuickBooks has, then press Retry."),
            _ when failure.Code == "invalid-line" => (SyncExceptionKind.Validation, "Correct the invoice's lines in billing, then press Retry."),
            _ => (SyncExceptionKind.Validation, "Correct what QuickBooks names (in master data, billing or QuickBooks), then press Retry."),
        };
        return new OpenSyncException
        {
            TenantId = invoice.TenantId,
            Kind = kind,
            Entity = ExceptionEntity,
            EntityId = invoice.InvoiceId.ToString("D"),
            Operation = ExceptionOperation,
            FlowId = invoice.FlowId,
            DealRef = deal,
            RequestId = invoice.RequestId,
            Message = subject + (fault is not null && failure.Message == fault.Message ? $"QuickBooks refused it: {FailureKinds.Detail(fault)}" : failure.Message),
            SuggestedFix = fix,
            Detail = fault?.Message ?? failure.Code,
            OccurredAt = now,
        };
    }

    /// <summary>QuickBooks' refusal in finance's words, with the kind billing acts on.</summary>
    private static Refused Explain(QboException? fault, PendingInvoice invoice, Prepared prepared, DateOnly? closing)
    {
        if (fault is null)
            return new Refused(FailureKinds.Validation, null, "QuickBooks gave no answer for this invoice.");
        var detail = FailureKinds.Detail(fault);
        return FailureKinds.For(fault) switch
        {
            FailureKinds.DuplicateDocNumber => new Refused(FailureKinds.DuplicateDocNumber, fault.FirstCode,
                $"QuickBooks already has an invoice numbered '{invoice.RequestedDocNumber ?? prepared.Invoice?.DocNumber}'; send the invoice again with the next number. ({detail})"),
            FailureKinds.ClosedPeriod => new Refused(FailureKinds.ClosedPeriod, fault.FirstCode,
                (closing is { } date ? $"The books are closed through {date:yyyy-MM-dd} in QuickBooks; " : "The period is closed in QuickBooks; ") +
                $"the invoice dated {prepared.Invoice?.TxnDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "today"} is held for finance. ({detail})", closing),
            var kind => new Refused(kind, fault.FirstCode, fault.Message),
        };
    }

    private static string BatchItemId(int index) => "i" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The QuickBooks invoice for a queued one: every field the command gave, the resolved terms and the dates to post
    /// with. Line amounts are already rounded to the currency's minor unit; a discounted line goes net (see <see cref="SalesLineFigures"/>).
    /// </summary>
    public static QboInvoice ToQbo(PendingInvoice invoice, QboRef? terms = null, DateOnly? txnDate = null, DateOnly? dueDate = null) => new()
    {
        CustomerRef = invoice.AccountingCustomerRef is { } customer ? QboRef.To(customer) : null,
        CurrencyRef = QboRef.To(invoice.Currency),
        DocNumber = invoice.RequestedDocNumber,
        TxnDate = txnDate ?? (invoice.InvoiceDate == default ? null : invoice.InvoiceDate),
        DueDate = dueDate ?? (invoice.DueDate == default ? null : invoice.DueDate),
        SalesTermRef = terms ?? (invoice.SalesTermRef is { } termId ? QboRef.To(termId) : null),
        ClassRef = invoice.ClassRef is { } classId ? QboRef.To(classId) : null,
        DepartmentRef = invoice.DepartmentRef is { } departmentId ? QboRef.To(departmentId) : null,
        PrivateNote = invoice.PrivateNote ?? invoice.Memo,
        CustomerMemo = QboMemoRef.Of(SalesLineFigures.CustomerMemo(invoice.PurchaseOrder, invoice.CustomerMemo)),
        Line = invoice.Lines.Select((line, i) =>
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
                    ItemRef = line.ItemRef is { } item ? QboRef.To(item) : null,
                    Qty = figures.Quantity,
                    UnitPrice = figures.UnitPrice,
                    TaxCodeRef = line.TaxCode is { } tax ? QboRef.To(tax) : null,
                    ClassRef = line.ClassRef is { } lineClass ? QboRef.To(lineClass) : null,
                    ServiceDate = line.ServiceDate,
                },
            };
        }).ToList(),
    };
}
