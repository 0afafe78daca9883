using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.CrmIngest.Apis;

public static class DeliveriesApi
{
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/crm/{tenant}").RequireTenantAccess(Policies.Finance).WithTags("Deliveries")
            .MapGet("/deliveries", ListDeliveries)
            .WithSummary("Every CRM delivery received, newest first, a page at a time: did the CRM tell us?");
        return app;
    }

    /// <summary>A won deal of the delivery that was not announced because its billing terms cannot be billed.</summary>
    public sealed record RefusedDealView(string ObjectId, Guid FlowId, IReadOnlyList<string> Reasons);

    public sealed record DeliveryView(string DeliveryId, string Source, DateTime Received, string SignatureVerdict, int Events, int Duplicates, int Echoes,
        string Status, string? Error, IReadOnlyList<string> ObjectIds, IReadOnlyList<ProducedEvent> Produced, IReadOnlyList<RefusedDealView> Refused);

    /// <summary>
    /// One page of the tenant's deliveries, newest first, read through the index on the received time (bodies are never
    /// read). When more remain, the <c>Link</c> header names the next page (<c>rel="next"</c>, a <c>before</c> cursor).
    /// </summary>
    public static async Task<Results<Ok<List<DeliveryView>>, ValidationProblem>> ListDeliveries(string tenant, string? objectId, DateTime? since, DateTime? until,
        string? before, IDocumentStore store, HttpContext http, CancellationToken cancellationToken, int limit = 100)
    {
        if (limit is < 1 or > MaxLimit)
            return Invalid("limit", $"limit must be between 1 and {MaxLimit}.");
        if (!PageCursor.TryParse(before, out var cursor))
            return Invalid("before", "before must be the cursor from a previous page's Link header.");
        var from = since?.ToUniversalTime().Ticks ?? 0L;
        var to = Math.Min(until?.ToUniversalTime().Ticks ?? long.MaxValue, cursor?.Ticks ?? long.MaxValue);
        var skip = cursor?.Skip ?? 0;

        var deliveries = store.Collection<CrmDelivery>(CrmDelivery.CollectionName);
        var found = objectId is null
            ? await deliveries.FindPageAsync(d => d.TenantId == tenant && d.ReceivedTicks >= from && d.ReceivedTicks <= to, d => d.ReceivedTicks, true, limit + skip + 1, cancellationToken)
            : await deliveries.FindPageAsync(d => d.TenantId == tenant && d.ReceivedTicks >= from && d.ReceivedTicks <= to && d.ObjectIds.Contains(objectId),
                d => d.ReceivedTicks, true, limit + skip + 1, cancellationToken);
        // The first page after a cursor starts with the deliveries of the cursor's tick that the previous page showed.
        var page = found.Select(d => d.Value).Skip(cursor is null ? 0 : CountLeading(found, cursor.Value.Ticks, skip)).ToList();
        var more = page.Count > limit;
        page = page.Take(limit).ToList();
        if (more && page.Count > 0)
        {
            var last = page[^1].ReceivedTicks;
            var sameTick = page.Count(d => d.ReceivedTicks == last) + (cursor?.Ticks == last ? skip : 0);
            var next = new PageCursor(last, sameTick).ToString();
            var query = http.Request.Query.Where(q => q.Key != "before").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
                .Append("before=" + Uri.EscapeDataString(next));
            http.Response.Headers.Link = $"<{http.Request.PathBase}{http.Request.Path}?{string.Join('&', query)}>; rel=\"next\"";
        }

        var views = new List<DeliveryView>(page.Count);
        foreach (var stored in page)
        {
            var d = await CrmDeliveries.WithOutcomesAsync(store, stored, cancellationToken);
            views.Add(new DeliveryView(d.DeliveryId, d.Source, d.Received, d.SignatureVerdict, d.Events, d.Duplicates, d.Echoes, d.Status, d.Error,
                d.ObjectIds, d.Produced, (d.Refused ?? []).Select(r => new RefusedDealView(r.ObjectId, r.FlowId, r.Reasons)).ToList()));
        }
        return TypedResults.Ok(views);
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The deliveries cannot be listed");

    private static int CountLeading(IReadOnlyList<StoredDocument<CrmDelivery>> found, long ticks, int skip) =>
        Math.Min(skip, found.TakeWhile(d => d.Value.ReceivedTicks == ticks).Count());

    /// <summary>Where the next page starts: at or before this tick, after the <see cref="Skip"/> deliveries of that tick already shown.</summary>
    private readonly record struct PageCursor(long Ticks, int Skip)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Ticks}.{Skip}");

        public static bool TryParse(string? text, out PageCursor? cursor)
        {
            cursor = null;
            if (string.IsNullOrEmpty(text))
                return true;
            var parts = text.Split('.');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var skip) && skip is >= 0 and <= MaxLimit * 10)
            {
                cursor = new PageCursor(ticks, skip);
                return true;
            }
            return false;
        }
    }
}
