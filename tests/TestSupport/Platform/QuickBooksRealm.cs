using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace QuoteToCash.Testing.Platform;

/// <summary>
/// A tenant's company in the QuickBooks sandbox as finance (or a test) sees it through QuickBooks' own API, with a
/// connection of a separate "tools" app: query invoices and customers, record payments, edit an invoice by hand. The
/// realm's request budget is shared with the platform, so a throttled call (429) is waited out and repeated.
/// </summary>
public sealed partial class QuickBooksRealm(HttpClient http, string realmId, string accessToken)
{
    public string RealmId { get; } = realmId;

    public string AccessToken { get; } = accessToken;

    public HttpClient Http { get; } = http;

    private async Task<JsonElement> CallAsync(HttpMethod method, string path, object? body = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var answer = await JsonHttp.SendAsync(Http, method, path, body, AccessToken);
            if (answer.Status == HttpStatusCode.TooManyRequests && attempt < 60)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                continue;
            }
            return answer.Success($"QuickBooks {method} {path}");
        }
    }

    /// <summary>Every entity of a type that matches the query's where clause, read page by page (1,000 at a time).</summary>
    public async Task<List<JsonElement>> QueryAsync(string entity, string? where = null)
    {
        var all = new List<JsonElement>();
        for (var start = 1; ; start += 1000)
        {
            var query = $"select * from {entity}{(where is null ? "" : " where " + where)} STARTPOSITION {start} MAXRESULTS 1000";
            var answer = await CallAsync(HttpMethod.Get, $"/v3/company/{RealmId}/query?query={Uri.EscapeDataString(query)}&minorversion=75");
            var page = answer.GetProperty("QueryResponse").TryGetProperty(entity, out var rows) ? rows.EnumerateArray().ToList() : [];
            all.AddRange(page);
            if (page.Count < 1000)
                return all;
        }
    }

    /// <summary>The platform's invoices by the deal their PrivateNote names ("deal:hubspot:123"), for every deal at once.</summary>
    public async Task<ILookup<string, JsonElement>> InvoicesByDealAsync() =>
        (await QueryAsync("Invoice"))
            .SelectMany(i => DealsIn(i).Select(deal => (deal, i)))
            .ToLookup(x => x.deal, x => x.i, StringComparer.Ordinal);

    /// <summary>The invoices whose PrivateNote names the deal ("deal:{source}:{dealId}", not a longer ID that starts the same).</summary>
    public async Task<List<JsonElement>> InvoicesForDealAsync(string source, string dealId) =>
        (await InvoicesByDealAsync())[$"deal:{source}:{dealId}"].ToList();

    private static IEnumerable<string> DealsIn(JsonElement invoice) =>
        invoice.TryGetProperty("PrivateNote", out var note) && note.GetString() is { } text
            ? DealReference().Matches(text).Select(m => m.Value).Distinct()
            : [];

    [GeneratedRegex(@"deal:[a-z0-9-]+:[A-Za-z0-9._-]+")]
    private static partial Regex DealReference();

    public Task<List<JsonElement>> CustomersAsync() => QueryAsync("Customer");

    public async Task<JsonElement> ReadAsync(string entity, string id) =>
        (await CallAsync(HttpMethod.Get, $"/v3/company/{RealmId}/{entity.ToLowerInvariant()}/{id}?minorversion=75")).GetProperty(entity);

    /// <summary>A customer's payment applied to one invoice, as finance records it in QuickBooks.</summary>
    public async Task<JsonElement> ReceivePaymentAsync(JsonElement invoice, decimal amount) =>
        (await CallAsync(HttpMethod.Post, $"/v3/company/{RealmId}/payment?minorversion=75", new
        {
            CustomerRef = new { value = invoice.GetProperty("CustomerRef").GetProperty("value").GetString() },
            TotalAmt = amount,
            TxnDate = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Line = new[]
            {
                new { Amount = amount, LinkedTxn = new[] { new { TxnId = invoice.GetProperty("Id").GetString(), TxnType = "Invoice" } } },
            },
        })).GetProperty("Payment");

    /// <summary>A sparse update made by hand in QuickBooks (fields sent replace the invoice's).</summary>
    public async Task<JsonElement> EditInvoiceAsync(JsonElement invoice, IReadOnlyDictionary<string, object?> fields)
    {
        var body = new Dictionary<string, object?>(fields)
        {
            ["Id"] = invoice.GetProperty("Id").GetString(),
            ["SyncToken"] = invoice.GetProperty("SyncToken").GetString(),
            ["sparse"] = true,
        };
        return (await CallAsync(HttpMethod.Post, $"/v3/company/{RealmId}/invoice?operation=update&minorversion=75", body)).GetProperty("Invoice");
    }

    /// <summary>Item IDs by name.</summary>
    public async Task<Dictionary<string, string>> ItemsAsync() =>
        (await QueryAsync("Item")).ToDictionary(i => i.GetProperty("Name").GetString()!, i => i.GetProperty("Id").GetString()!, StringComparer.Ordinal);

    /// <summary>
    /// Makes QuickBooks misbehave for this realm (the sandbox's fault injector): throttling or server errors answered
    /// instead of processing (errorRate, errorStatus), connections dropped after a write committed, latency.
    /// </summary>
    public async Task SetFaultsAsync(double errorRate = 0, int errorStatus = 503, double dropConnectionAfterCommitRate = 0, int latencyMs = 0, int? count = null) =>
        await JsonHttp.CallAsync(Http, HttpMethod.Post, "/_sandbox/faults",
            new { realmId = RealmId, errorRate, errorStatus, dropConnectionAfterCommitRate, latencyMs, count });

    /// <summary>How many faults this realm's rule still has to inject (null: no counted rule left, every one was used).</summary>
    public async Task<int?> FaultsLeftAsync()
    {
        var rules = await JsonHttp.CallAsync(Http, HttpMethod.Get, "/_sandbox/faults");
        foreach (var rule in rules.EnumerateArray())
        {
            if (rule.TryGetProperty("realmId", out var realm) && realm.ValueKind == JsonValueKind.String && realm.GetString() == RealmId
                && rule.TryGetProperty("count", out var count) && count.ValueKind == JsonValueKind.Number)
                return count.GetInt32();
        }
        return null;
    }

    /// <summary>Ends this realm's faults (a rule that does nothing replaces the realm's rule; other realms keep theirs).</summary>
    public Task ClearFaultsAsync() => SetFaultsAsync();
}
