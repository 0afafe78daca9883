using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.Posting;

/// <summary>
/// Drains each tenant's queue of invoices into QuickBooks. A realm with a backlog gets batches of up to 30
/// (planned and stored before they are sent, so a resend after a crash is the same batch with the same
/// requestid); a lone invoice goes as a single create whose requestid is the invoice's own ID. The rate
/// governor paces everything; results become InvoicePosted or InvoicePostingFailed through the outbox.
/// </summary>
public sealed class InvoicePostingWorker(
    IDocumentStore store,
    IServiceScopeFactory scopes,
    OutboxDelivery outbox,
    InvoicePostingSignal signal,
    IOptions<PostingOptions> options,
    TimeProvider time,
    ILogger<InvoicePostingWorker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, Task> _draining = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var pending = await store.Collection<PendingInvoice>(PendingInvoice.CollectionName)
                    .FindAsync(p => p.Status == PostingStatus.Queued || p.Status == PostingStatus.InFlight, 5000, stoppingToken);
                foreach (var tenant in pending.Select(p => p.Value.TenantId).Distinct())
                {
                    if (_draining.TryGetValue(tenant, out var running) && !running.IsCompleted)
                        continue;
                    _draining[tenant] = Task.Run(() => DrainAsync(tenant, stoppingToken), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "Invoice posting pass failed");
            }
            try
            {
                await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await Task.WhenAll(_draining.Values).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Posts everything queued for the tenant, resuming planned batches first.</summary>
    public async Task DrainAsync(string tenantId, CancellationToken cancellationToken)
    {
        try
        {
            var batches = await store.Collection<PostingBatch>(PostingBatch.CollectionName).FindAsync(b => b.TenantId == tenantId, cancellationToken: cancellationToken);
            await System.Threading.Tasks.Parallel.ForEachAsync(batches, ParallelOptionsFor(cancellationToken), async (batch, ct) => await SendBatchAsync(batch.Value, ct));

            var lingered = TimeSpan.Zero;
            var previous = -1;
            while (!cancellationToken.IsCancellationRequested)
            {
                var queued = await store.Collection<PendingInvoice>(PendingInvoice.CollectionName)
                    .FindAsync(p => p.TenantId == tenantId && p.Status == PostingStatus.Queued, 1000, cancellationToken);
                if (queued.Count == 0)
                    return;
                // Batch requests are the scarce budget (40 a minute): while invoices are still arriving, wait a
                // moment for a fuller batch instead of spending a batch on a handful.
                if (queued.Count < options.Value.BatchSize && queued.Count > previous && lingered < options.Value.MaxLinger)
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

    private ParallelOptions ParallelOptionsFor(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Math.Max(1, options.Value.ParallelBatches), CancellationToken = cancellationToken };

    private async Task<PostingBatch> PlanBatchAsync(string tenantId, IReadOnlyList<StoredDocument<PendingInvoice>> invoices, CancellationToken cancellationToken)
    {
        var ids = invoices.Select(i => i.Value.InvoiceId).ToList();
        var batch = new PostingBatch
        {
            RequestId = DeterministicId.Create("qbo-batch", tenantId, string.Join(',', ids.Select(i => i.ToString("N")))).ToString("N"),
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
        var members = new List<StoredDocument<PendingInvoice>>();
        foreach (var id in batch.InvoiceIds)
        {
            if (await collection.GetAsync(id.ToString("D"), cancellationToken) is { Value.Status: PostingStatus.InFlight } member)
                members.Add(member);
        }
        if (members.Count == 0)
        {
            await store.DeleteAsync(PostingBatch.CollectionName, batch.RequestId, cancellationToken: cancellationToken);
            return;
        }
        var items = members.Select((m, i) => new QboBatchItem(BatchItemId(i), "create", ToQbo(m.Value))).ToList();
        using var scope = scopes.CreateScope();
        var client = scope.ServiceProvider.GetRequiredService<QboClient>();
        IReadOnlyList<QboBatchResult> results;
        try
        {
            results = await client.BatchAsync(batch.TenantId, items, batch.RequestId, cancellationToken);
        }
        catch (QboException exception) when (!exception.IsRetryable && exception.Kind != QboErrorKind.Authentication)
        {
            await CompleteAsync(members.Select(m => (m, (JsonElement?)null, (QboException?)exception)).ToList(), batch.RequestId, cancellationToken);
            return;
        }
        var byId = results.ToDictionary(r => r.BatchId);
        var outcomes = members.Select((m, i) =>
        {
            var result = byId.GetValueOrDefault(BatchItemId(i));
            return (m, result?.Entity, result is null
                ? new QboException(QboErrorKind.Transient, null, [new QboErrorDetail("missing", "No answer for this batch item", null, null)], null)
                : result.Fault);
        }).ToList();
        await CompleteAsync(outcomes, batch.RequestId, cancellationToken);
    }

    private async Task PostSingleAsync(StoredDocument<PendingInvoice> invoice, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var client = scope.ServiceProvider.GetRequiredService<QboClient>();
        JsonElement? created = null;
        QboException? fault = null;
        try
        {
            var result = await client.CreateAsync(invoice.Value.TenantId, ToQbo(invoice.Value), invoice.Value.RequestId, cancellationToken);
            created = JsonSerializer.SerializeToElement(result, QboClient.Json);
        }
        catch (QboException exception) when (exception.Kind != QboErrorKind.Authentication)
        {
            fault = exception;
        }
        await CompleteAsync([(invoice, created, fault)], null, cancellationToken);
    }

    private async Task CompleteAsync(IReadOnlyList<(StoredDocument<PendingInvoice> Invoice, JsonElement? Created, QboException? Fault)> outcomes,
        string? batchRequestId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var unitOfWork = new UnitOfWork(store, outbox, time);
        foreach (var (document, created, fault) in outcomes)
        {
            var invoice = document.Value;
            invoice.Attempts++;
            invoice.BatchRequestId = null;
            if (created is { } entity)
            {
                var qbo = entity.Deserialize<QboInvoice>(QboClient.Json)!;
                invoice.Status = PostingStatus.Posted;
                invoice.AccountingInvoiceId = qbo.Id;
                invoice.DocNumber = qbo.DocNumber;
                invoice.Total = qbo.TotalAmt;
                invoice.Balance = qbo.Balance;
                invoice.Posted = now.UtcDateTime;
                invoice.Error = null;
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
                });
            }
            else if (fault is { IsRetryable: true })
            {
                invoice.Status = PostingStatus.Queued; // throttled or transient inside a batch: it goes again, in a later batch
                invoice.Error = fault.Message;
            }
            else
            {
                invoice.Status = PostingStatus.Failed;
                invoice.Error = fault?.Message ?? "QuickBooks gave no answer for this invoice.";
                unitOfWork.Publish(new InvoicePostingFailed
                {
                    TenantId = invoice.TenantId,
                    FlowId = invoice.FlowId,
                    InvoiceId = invoice.InvoiceId,
                    Kind = (fault?.Kind ?? QboErrorKind.Validation).ToString(),
                    Code = fault?.FirstCode,
                    Message = invoice.Error,
                    FailedAt = now,
                });
            }
            unitOfWork.Replace(PendingInvoice.CollectionName, document, invoice);
        }
        if (batchRequestId is not null)
            unitOfWork.Delete(PostingBatch.CollectionName, batchRequestId);
        await unitOfWork.CommitAsync(cancellationToken);
    }

    private static string BatchItemId(int index) => "i" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The QuickBooks invoice for a queued one. Line amounts are already rounded to the currency's minor unit.</summary>
    public static QboInvoice ToQbo(PendingInvoice invoice) => new()
    {
        CustomerRef = invoice.AccountingCustomerRef is { } customer ? QboRef.To(customer) : null,
        CurrencyRef = QboRef.To(invoice.Currency),
        TxnDate = invoice.InvoiceDate == default ? null : invoice.InvoiceDate,
        DueDate = invoice.DueDate == default ? null : invoice.DueDate,
        PrivateNote = invoice.Memo,
        Line = invoice.Lines.Select((line, i) => new QboLine
        {
            LineNum = i + 1,
            Description = line.Description,
            Amount = line.Amount,
            DetailType = "SalesItemLineDetail",
            SalesItemLineDetail = new QboSalesItemLineDetail
            {
                ItemRef = line.ItemRef is { } item ? QboRef.To(item) : null,
                Qty = line.Quantity,
                UnitPrice = line.UnitPrice,
                TaxCodeRef = line.TaxCode is { } tax ? QboRef.To(tax) : null,
                ServiceDate = line.ServiceDate,
            },
        }).ToList(),
    };
}
