using QuoteToCash.CrmIngest.Domain;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.CrmIngest.Infrastructure;

/// <summary>A delivery as the operator sees it: its record with what processing made of each of its events folded in.</summary>
public static class CrmDeliveries
{
    /// <summary>The indexes the listing, the outcome lookup and retention read through. Idempotent; run at start-up.</summary>
    public static async Task EnsureIndexesAsync(IDocumentStore store, CancellationToken cancellationToken)
    {
        await store.Collection<CrmDelivery>(CrmDelivery.CollectionName).EnsureIndexAsync("delivery-received", d => d.ReceivedTicks, cancellationToken: cancellationToken);
        await store.Collection<CrmDeliveryOutcome>(CrmDeliveryOutcome.CollectionName).EnsureIndexAsync("outcome-delivery", o => o.DeliveryId, cancellationToken: cancellationToken);
        await store.Collection<CrmDeliveryOutcome>(CrmDeliveryOutcome.CollectionName).EnsureIndexAsync("outcome-processed", o => o.Processed, cancellationToken: cancellationToken);
        await store.Collection<CrmDeliveryBody>(CrmDeliveryBody.CollectionName).EnsureIndexAsync("body-received", b => b.Received, cancellationToken: cancellationToken);
        await store.Collection<SeenCrmEvent>(SeenCrmEvent.CollectionName).EnsureIndexAsync("seen-received", s => s.Received, cancellationToken: cancellationToken);
        await store.Collection<GenericEventSeen>(GenericEventSeen.CollectionName).EnsureIndexAsync("generic-received", s => s.Received, cancellationToken: cancellationToken);
    }

    public static async Task<CrmDelivery?> LoadAsync(IDocumentStore store, string deliveryId, CancellationToken cancellationToken)
    {
        var stored = await store.Collection<CrmDelivery>(CrmDelivery.CollectionName).GetAsync(deliveryId, cancellationToken);
        return stored is null ? null : await WithOutcomesAsync(store, stored.Value, cancellationToken);
    }

    /// <summary>The delivery with its status, note, produced events and refusals taken from its events' outcomes.</summary>
    public static async Task<CrmDelivery> WithOutcomesAsync(IDocumentStore store, CrmDelivery delivery, CancellationToken cancellationToken)
    {
        var outcomes = (await store.Collection<CrmDeliveryOutcome>(CrmDeliveryOutcome.CollectionName)
            .FindAsync(o => o.DeliveryId == delivery.DeliveryId, cancellationToken: cancellationToken))
            .Select(o => o.Value).OrderBy(o => o.Processed).ToList();
        var (status, error) = DeliveryStatus.Fold(delivery.Status, delivery.Error,
            outcomes.Select(o => new EventResult(o.Status, o.Note, o.Produced.Count > 0)).ToList());
        delivery.Status = status;
        delivery.Error = error;
        delivery.Produced = [.. delivery.Produced, .. outcomes.SelectMany(o => o.Produced)];
        delivery.Refused = [.. delivery.Refused ?? [], .. outcomes.SelectMany(o => o.Refused)];
        return delivery;
    }
}
