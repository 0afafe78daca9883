using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.CrmIngest.Apis;

public static class DeliveriesApi
{
    public static IEndpointRouteBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/crm/{tenant}").RequireTenantAccess(Policies.Finance).WithTags("Deliveries")
            .MapGet("/deliveries", ListDeliveries)
            .WithSummary("Every CRM delivery received: did the CRM tell us?");
        return app;
    }

    /// <summary>A won deal of the delivery that was not announced because its billing terms cannot be billed.</summary>
    public sealed record RefusedDealView(string ObjectId, Guid FlowId, IReadOnlyList<string> Reasons);

    public sealed record DeliveryView(string DeliveryId, string Source, DateTime Received, string SignatureVerdict, int Events, int Duplicates, int Echoes,
        string Status, string? Error, IReadOnlyList<string> ObjectIds, IReadOnlyList<ProducedEvent> Produced, IReadOnlyList<RefusedDealView> Refused);

    public static async Task<Ok<List<DeliveryView>>> ListDeliveries(string tenant, string? objectId, DateTime? since, DateTime? until, IDocumentStore store,
        CancellationToken cancellationToken, int limit = 100)
    {
        var from = since?.ToUniversalTime() ?? DateTime.MinValue;
        var to = until?.ToUniversalTime() ?? DateTime.MaxValue;
        var found = await store.Collection<CrmDelivery>(CrmDelivery.CollectionName)
            .FindAsync(d => d.TenantId == tenant && d.Received >= from && d.Received <= to, cancellationToken: cancellationToken);
        var views = found.Select(d => d.Value)
            .Where(d => objectId is null || d.ObjectIds.Contains(objectId))
            .OrderByDescending(d => d.Received)
            .Take(Math.Clamp(limit, 1, 1000))
            .Select(d => new DeliveryView(d.DeliveryId, d.Source, d.Received, d.SignatureVerdict, d.Events, d.Duplicates, d.Echoes, d.Status, d.Error,
                d.ObjectIds, d.Produced, (d.Refused ?? []).Select(r => new RefusedDealView(r.ObjectId, r.FlowId, r.Reasons)).ToList()))
            .ToList();
        return TypedResults.Ok(views);
    }
}
