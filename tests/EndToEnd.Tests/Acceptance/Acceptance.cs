using System.Text.Json;
using QuoteToCash.Testing.Platform;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.EndToEnd.Tests.Acceptance;

/// <summary>
/// The steps the acceptance scenarios share: waiting for what the platform does in the background, read back only
/// through external APIs (QuickBooks' query API, HubSpot's objects, the gateway's operator APIs).
/// </summary>
internal static class Acceptance
{
    public static string NewTenant(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>Waits until QuickBooks holds the deal's invoice and returns it; fails when there is none, or more than one.</summary>
    public static async Task<JsonElement> SingleInvoiceAsync(PlatformTenant tenant, string source, string dealId, TimeSpan? timeout = null)
    {
        List<JsonElement> invoices = [];
        Assert.True(await Eventually(async () => (invoices = await tenant.Books.InvoicesForDealAsync(source, dealId)).Count > 0,
            timeout ?? TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(1)), $"no invoice in QuickBooks for deal:{source}:{dealId}");
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        invoices = await tenant.Books.InvoicesForDealAsync(source, dealId);
        Assert.True(invoices.Count == 1, $"{invoices.Count} invoices in QuickBooks for deal:{source}:{dealId}: {string.Join(", ", invoices.Select(i => i.GetProperty("DocNumber")))}");
        return invoices[0];
    }

    /// <summary>The invoice's item lines as (item ID, quantity, unit price, amount), in order.</summary>
    public static List<(string Item, decimal Quantity, decimal UnitPrice, decimal Amount)> ItemLines(JsonElement invoice) =>
        invoice.GetProperty("Line").EnumerateArray()
            .Where(l => l.GetProperty("DetailType").GetString() == "SalesItemLineDetail")
            .Select(l =>
            {
                var detail = l.GetProperty("SalesItemLineDetail");
                return (detail.GetProperty("ItemRef").GetProperty("value").GetString()!, detail.GetProperty("Qty").GetDecimal(),
                    detail.GetProperty("UnitPrice").GetDecimal(), l.GetProperty("Amount").GetDecimal());
            })
            .ToList();

    /// <summary>Waits until the HubSpot object's properties satisfy the condition; returns them (or fails with the last seen).</summary>
    public static async Task<JsonElement> HubSpotEventuallyAsync(HubSpotPortal portal, string objectType, string id, string[] names,
        Func<JsonElement, bool> condition, string what, TimeSpan? timeout = null)
    {
        JsonElement properties = default;
        Assert.True(await Eventually(async () => condition(properties = await portal.PropertiesAsync(objectType, id, names)),
            timeout ?? TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(1)), $"{what}; HubSpot {objectType} {id} shows {properties}");
        return properties;
    }

    public static string? Text(this JsonElement properties, string name) =>
        properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>HubSpot keeps numbers as text ("0", "0.00"): read as a decimal.</summary>
    public static decimal? Number(this JsonElement properties, string name) =>
        properties.Text(name) is { Length: > 0 } text ? decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>The tenant's accounting exceptions through the gateway, filtered as the API filters them.</summary>
    public static async Task<List<JsonElement>> ExceptionsAsync(PlatformTenant tenant, string query = "")
    {
        var answer = await tenant.ApiAsync(HttpMethod.Get, $"/api/accounting/{tenant.Id}/exceptions{query}");
        if (!answer.Ok)
            return [];
        var body = answer.Json;
        // A list, or a page with its items.
        var items = body.ValueKind == JsonValueKind.Array ? body
            : body.TryGetProperty("items", out var i) ? i : body.TryGetProperty("exceptions", out var e) ? e : default;
        return items.ValueKind == JsonValueKind.Array ? items.EnumerateArray().ToList() : [];
    }
}
