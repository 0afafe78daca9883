using MassTransit;
using Microsoft.Extensions.Options;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Domain.Inbound;
using QuoteToCash.AccountingSync.Infrastructure.Inbound;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Consumers;

/// <summary>
/// The CDC sweep (ACC-5): reads the tenant's Invoice, Payment and CreditMemo changes since the per-entity watermark, one
/// entity per call so each has QuickBooks' 1,000-object cap to itself (a capped answer is followed from its newest change),
/// and hands each change that concerns an invoice we posted to <see cref="InboundChangeConsumer"/> as an
/// <see cref="ApplyQuickBooksChange"/>, committed with the new watermark. Changes webhooks already brought publish nothing
/// again. A watermark older than QuickBooks' 30-day look-back (the service was down, or the tenant disconnected, that long)
/// starts inside it and asks for a reconciliation, which finds by comparison what CDC can no longer show.
/// </summary>
public sealed class InboundCdcSweepConsumer(QboClient client, IUnitOfWork unitOfWork, IOptions<InboundOptions> options, TimeProvider time,
    ILogger<InboundCdcSweepConsumer> logger) : IConsumer<SweepQuickBooksChanges>
{
    public async Task Consume(ConsumeContext<SweepQuickBooksChanges> context)
    {
        var tenantId = context.Message.TenantId;
        var token = context.CancellationToken;
        var store = unitOfWork.Store;
        var connection = await store.Collection<QboConnection>(QboConnection.CollectionName).GetAsync(tenantId, token);
        if (connection is null)
        {
            // Disconnected: the recurring sweep has nothing left to read.
            unitOfWork.CancelScheduled(InboundOptions.SweepJobId(tenantId));
            return;
        }
        if (connection.Value.Status != QboConnectionStatus.Connected)
            return;

        var settings = options.Value;
        var now = time.GetUtcNow();
        var loaded = await store.Collection<InboundWatermark>(InboundWatermark.CollectionName).GetAsync(tenantId, token);
        var watermark = loaded?.Value ?? new InboundWatermark { TenantId = tenantId };
        if (!context.Message.StartUp && watermark.LastSweepAt is { } last && now.UtcDateTime - last < settings.MinSweepSpacing)
            return; // a missed occurrence catching up right after a sweep

        var firstStart = now - settings.FirstSweepLookBack;
        var gap = false;
        var handedOn = 0;
        var filter = new InboundChangeProcessor(client, unitOfWork, time, logger);
        try
        {
            foreach (var entity in InboundOptions.Entities)
            {
                var plan = CdcWindow.Plan(watermark.For(entity), firstStart, now, CdcWindow.QuickBooksLookBack, settings.LookBackMargin);
                gap |= plan.Gap;
                var since = plan.Since;
                for (var read = 1; read <= Math.Max(1, settings.MaxReadsPerEntity); read++)
                {
                    var (changes, serverTime) = await client.ChangesSinceAsync(tenantId, [entity], since, token);
                    var ofEntity = changes.Where(c => c.Entity == entity).ToList();
                    foreach (var change in ofEntity)
                    {
                        if (!await ConcernsUsAsync(filter, tenantId, change, token))
                            continue;
                        unitOfWork.Publish(new ApplyQuickBooksChange
                        {
                            TenantId = tenantId,
                            Entity = entity,
                            EntityId = change.Id,
                            Deleted = change.Deleted,
                            Payload = change.Deleted ? null : change.Payload.GetRawText(),
                            Source = InboundSources.Cdc,
                        });
                        handedOn++;
                    }
                    var step = CdcWindow.Next(since, serverTime, ofEntity.Count, CdcWindow.QuickBooksMaxObjects, ofEntity.Max(c => c.LastUpdated));
                    gap |= step.Gap;
                    since = step.Watermark;
                    if (!step.More)
                        break;
                }
                watermark.Set(entity, since);
            }
        }
        catch (QboException fault) when (fault.Kind == QboErrorKind.Authentication)
        {
            logger.LogWarning("CDC sweep of tenant {Tenant} stopped: {Reason}; it resumes from the same watermark after reconnection", tenantId, fault.Message);
            return;
        }

        watermark.LastSweepAt = now.UtcDateTime;
        watermark.LastSweepChanges = handedOn;
        if (gap)
        {
            watermark.LastGapAt = now.UtcDateTime;
            logger.LogWarning("CDC sweep of tenant {Tenant} could not read every change (older than QuickBooks' look-back, or too many in one second); reconciling", tenantId);
            unitOfWork.Publish(new ReconcileInvoices { TenantId = tenantId, Trigger = "cdc-gap" });
        }
        unitOfWork.InsertOrReplace(InboundWatermark.CollectionName, tenantId, loaded, watermark);
    }

    /// <summary>
    /// Only changes that can matter are handed on: a newer version of an invoice we posted (not our own post), a payment
    /// that links one or a newer version of one known to have, a credit memo applied through a payment. Everything else in
    /// the company is none of the platform's business, and what was already applied is not handed on again.
    /// </summary>
    private async Task<bool> ConcernsUsAsync(InboundChangeProcessor filter, string tenantId, QboChange change, CancellationToken cancellationToken)
    {
        switch (change.Entity)
        {
            case "Invoice":
                return await filter.IsNewsAboutOursAsync(tenantId, change.Id, SyncToken(change), change.Deleted, cancellationToken);
            case "Payment":
                if (await unitOfWork.Store.Collection<InboundPayment>(InboundPayment.CollectionName).GetAsync(InboundPayment.Key(tenantId, change.Id), cancellationToken)
                    is { Value: var known })
                    return !known.Deleted && (change.Deleted || InvoiceLifecycle.IsNewer(SyncToken(change), known.SyncToken));
                if (change.Deleted)
                    return false;
                foreach (var id in LinkedIds(change, "Invoice"))
                {
                    if (await filter.IsOursAsync(tenantId, id, cancellationToken))
                        return true;
                }
                return false;
            case "CreditMemo":
                return !change.Deleted && LinkedIds(change, "Payment").Any();
            default:
                return false;
        }
    }

    private static string? SyncToken(QboChange change) =>
        change.Payload.ValueKind == System.Text.Json.JsonValueKind.Object && change.Payload.TryGetProperty("SyncToken", out var token) ? token.GetString() : null;

    private static IEnumerable<string> LinkedIds(QboChange change, string txnType)
    {
        var payload = change.Payload;
        var links = new List<string>();
        void Collect(System.Text.Json.JsonElement owner)
        {
            if (owner.TryGetProperty("LinkedTxn", out var linked) && linked.ValueKind == System.Text.Json.JsonValueKind.Array)
            {
                foreach (var link in linked.EnumerateArray())
                {
                    if (link.TryGetProperty("TxnType", out var type) && type.GetString() == txnType && link.TryGetProperty("TxnId", out var id) && id.GetString() is { } value)
                        links.Add(value);
                }
            }
        }
        if (payload.ValueKind != System.Text.Json.JsonValueKind.Object)
            return links;
        Collect(payload);
        if (payload.TryGetProperty("Line", out var lines) && lines.ValueKind == System.Text.Json.JsonValueKind.Array)
        {
            foreach (var line in lines.EnumerateArray())
                Collect(line);
        }
        return links;
    }
}
