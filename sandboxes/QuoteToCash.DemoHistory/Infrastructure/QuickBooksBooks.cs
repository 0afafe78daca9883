using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace QuoteToCash.DemoHistory.Infrastructure;

/// <summary>
/// A demo tenant's QuickBooks company as finance works in it through QuickBooks' own API, with the "tools" app's
/// connection from data/demo-tenants.json: reads invoices, records payments, voids and edits invoices, adds an item.
/// Access tokens last an hour of QuickBooks' (moved) clock: an expired one is refreshed and the call made again.
/// </summary>
public sealed class QuickBooksBooks
{
    private readonly HttpClient _http;
    private readonly string _clientId;
    private readonly string _clientSecret;
    private string? _accessToken;

    public QuickBooksBooks(HttpClient http, string realmId, string clientId, string clientSecret, string refreshToken)
    {
        _http = http;
        RealmId = realmId;
        _clientId = clientId;
        _clientSecret = clientSecret;
        RefreshToken = refreshToken;
        Api = new JsonApi(http, _ => Task.FromResult(_accessToken));
    }

    public string RealmId { get; }

    /// <summary>The latest refresh token (QuickBooks rotates it); written back to demo-tenants.json at the end.</summary>
    public string RefreshToken { get; private set; }

    private JsonApi Api { get; }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/v1/tokens/bearer")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = RefreshToken }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_clientId}:{_clientSecret}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"QuickBooks token refresh for realm {RealmId}: {(int)response.StatusCode} {text}");
        using var tokens = JsonDocument.Parse(text);
        _accessToken = tokens.RootElement.GetProperty("access_token").GetString();
        RefreshToken = tokens.RootElement.GetProperty("refresh_token").GetString() ?? RefreshToken;
    }

    private async Task<JsonElement> CallAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        if (_accessToken is null)
            await RefreshAsync(cancellationToken);
        var answer = await Api.SendAsync(method, path, body, cancellationToken);
        if (answer.Status == HttpStatusCode.Unauthorized)
        {
            await RefreshAsync(cancellationToken);
            answer = await Api.SendAsync(method, path, body, cancellationToken);
        }
        return answer.Success($"QuickBooks {method} {path}");
    }

    private string Company(string rest) => $"/v3/company/{RealmId}/{rest}{(rest.Contains('?') ? "&" : "?")}minorversion=75";

    public async Task<List<JsonElement>> QueryAsync(string entity, string? where, CancellationToken cancellationToken)
    {
        var all = new List<JsonElement>();
        for (var start = 1; ; start += 1000)
        {
            var query = $"select * from {entity}{(where is null ? "" : " where " + where)} STARTPOSITION {start} MAXRESULTS 1000";
            var answer = await CallAsync(HttpMethod.Get, Company("query?query=" + Uri.EscapeDataString(query)), null, cancellationToken);
            var page = answer.GetProperty("QueryResponse").TryGetProperty(entity, out var rows) ? rows.EnumerateArray().ToList() : [];
            all.AddRange(page);
            if (page.Count < 1000)
                return all;
        }
    }

    public async Task<JsonElement> ReadInvoiceAsync(string id, CancellationToken cancellationToken) =>
        (await CallAsync(HttpMethod.Get, Company($"invoice/{id}"), null, cancellationToken)).GetProperty("Invoice");

    /// <summary>A customer's payment applied to one invoice, dated <paramref name="on"/> (its TxnDate is what the platform takes as the day it was paid).</summary>
    public Task<JsonElement> ReceivePaymentAsync(JsonElement invoice, decimal amount, DateOnly on, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Post, Company("payment"), new
        {
            CustomerRef = new { value = invoice.GetProperty("CustomerRef").GetProperty("value").GetString() },
            TotalAmt = amount,
            TxnDate = on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Line = new[] { new { Amount = amount, LinkedTxn = new[] { new { TxnId = invoice.GetProperty("Id").GetString(), TxnType = "Invoice" } } } },
        }, cancellationToken);

    public Task<JsonElement> VoidInvoiceAsync(JsonElement invoice, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Post, Company("invoice?operation=void"),
            new { Id = invoice.GetProperty("Id").GetString(), SyncToken = invoice.GetProperty("SyncToken").GetString() }, cancellationToken);

    public Task<JsonElement> MoveDueDateAsync(JsonElement invoice, DateOnly dueDate, CancellationToken cancellationToken) =>
        CallAsync(HttpMethod.Post, Company("invoice?operation=update"), new
        {
            Id = invoice.GetProperty("Id").GetString(), SyncToken = invoice.GetProperty("SyncToken").GetString(), sparse = true,
            DueDate = dueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }, cancellationToken);

    /// <summary>A service item booked to the same income account as <paramref name="like"/>; an item of that name already there is reused.</summary>
    public async Task<string> ServiceItemAsync(string name, string like, CancellationToken cancellationToken)
    {
        var items = await QueryAsync("Item", null, cancellationToken);
        if (items.FirstOrDefault(i => i.GetProperty("Name").GetString() == name) is { ValueKind: JsonValueKind.Object } existing)
            return existing.GetProperty("Id").GetString()!;
        var model = items.First(i => i.GetProperty("Name").GetString() == like);
        var created = await CallAsync(HttpMethod.Post, Company("item"), new
        {
            Name = name, Type = "Service",
            IncomeAccountRef = new { value = model.GetProperty("IncomeAccountRef").GetProperty("value").GetString() },
        }, cancellationToken);
        return created.GetProperty("Item").GetProperty("Id").GetString()!;
    }
}
