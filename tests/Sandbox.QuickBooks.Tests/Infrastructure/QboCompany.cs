using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;

/// <summary>A response as a QBO client sees it.</summary>
public sealed record QboResponse(HttpStatusCode Status, string? ContentType, string Text)
{
    public JsonNode Json => JsonNode.Parse(Text) ?? throw new InvalidOperationException("empty body");

    /// <summary>The first fault's code (as the string QBO sends), or null when there is no Fault.</summary>
    public string? FaultCode => Fault?["Error"]?[0]?["code"]?.GetValue<string>();

    public string? FaultDetail => Fault?["Error"]?[0]?["Detail"]?.GetValue<string>();

    public JsonObject? Fault => Text.StartsWith('{') ? JsonNode.Parse(Text)?["Fault"] as JsonObject : null;

    public JsonObject Entity(string name)
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Text}");
        return Json[name]!.AsObject();
    }
}

/// <summary>One realm and one connected app: the requests an integration makes.</summary>
public sealed class QboCompany(HttpClient http, string realmId, JsonObject app)
{
    public HttpClient Http { get; } = http;

    public string RealmId { get; } = realmId;

    public string ClientId { get; } = app["clientId"]!.GetValue<string>();

    public string ClientSecret { get; } = app["clientSecret"]!.GetValue<string>();

    public string VerifierToken { get; } = app["verifierToken"]!.GetValue<string>();

    public string AccessToken { get; set; } = "";

    public string RefreshToken { get; set; } = "";

    public string AuthorizationCode { get; private set; } = "";

    public const string RedirectUri = "http://localhost/callback";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Simulates consent through the control API and keeps the tokens it returns.</summary>
    public async Task ConnectAsync()
    {
        var grant = await Control.PostAsync(Http, $"/_sandbox/realms/{RealmId}/connections", new { clientId = ClientId, redirectUri = RedirectUri });
        AccessToken = grant["accessToken"]!.GetValue<string>();
        RefreshToken = grant["refreshToken"]!.GetValue<string>();
        AuthorizationCode = grant["authorizationCode"]!.GetValue<string>();
    }

    public string Path(string relative) => $"/v3/company/{RealmId}/{relative.TrimStart('/')}";

    public Task<QboResponse> GetAsync(string relative, string? token = null)
        => SendAsync(new HttpRequestMessage(HttpMethod.Get, Path(relative)), token);

    public Task<QboResponse> PostAsync(string relative, object body, string? token = null)
    {
        var json = body as string ?? JsonSerializer.Serialize(body);
        return SendAsync(new HttpRequestMessage(HttpMethod.Post, Path(relative)) { Content = new StringContent(json, Encoding.UTF8, "application/json") }, token);
    }

    public Task<QboResponse> QueryAsync(string query)
        => GetAsync("query?minorversion=75&query=" + Uri.EscapeDataString(query));

    public async Task<QboResponse> SendAsync(HttpRequestMessage request, string? token = null)
    {
        using (request)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? AccessToken);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await Http.SendAsync(request, Cancel);
            return new QboResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(Cancel));
        }
    }

    /// <summary>Creates an entity and returns it, failing the test on a fault.</summary>
    public async Task<JsonObject> CreateAsync(string entity, object body)
        => (await PostAsync(entity.ToLowerInvariant() + "?minorversion=75", body)).Entity(entity);

    public async Task<JsonObject> ReadAsync(string entity, string id)
        => (await GetAsync($"{entity.ToLowerInvariant()}/{id}")).Entity(entity);

    public async Task<JsonArray> QueryListAsync(string query, string entity)
    {
        var response = await QueryAsync(query);
        Assert.True(response.Status == HttpStatusCode.OK, response.Text);
        return response.Json["QueryResponse"]?[entity]?.AsArray() ?? [];
    }

    /// <summary>POST /oauth2/v1/tokens/bearer with HTTP Basic client authentication.</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body)> TokenAsync(Dictionary<string, string> form, string? clientId = null, string? clientSecret = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/v1/tokens/bearer") { Content = new FormUrlEncodedContent(form) };
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId ?? ClientId}:{clientSecret ?? ClientSecret}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await Http.SendAsync(request, Cancel);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!.AsObject());
    }

    public Task<(HttpStatusCode Status, JsonObject Body)> RefreshAsync(string refreshToken)
        => TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken });

    /// <summary>A customer with a unique name; most transaction tests need one.</summary>
    public Task<JsonObject> CustomerAsync(string? name = null)
        => CreateAsync("Customer", new { DisplayName = name ?? "Customer " + Guid.NewGuid().ToString("N")[..8] });

    /// <summary>An invoice for one line of the seeded Consulting item (Id 3, 150/hour).</summary>
    public Task<JsonObject> InvoiceAsync(string customerId, decimal hours = 2m, object? extra = null)
    {
        var invoice = new JsonObject
        {
            ["CustomerRef"] = new JsonObject { ["value"] = customerId },
            ["Line"] = new JsonArray(SalesLine(hours * 150m, "3", hours, 150m)),
        };
        if (extra is not null)
        {
            foreach (var (key, value) in JsonSerializer.SerializeToNode(extra)!.AsObject())
                invoice[key] = value?.DeepClone();
        }
        return CreateAsync("Invoice", invoice.ToJsonString());
    }

    public static JsonObject SalesLine(decimal amount, string itemId, decimal? qty = null, decimal? unitPrice = null)
    {
        var detail = new JsonObject { ["ItemRef"] = new JsonObject { ["value"] = itemId } };
        if (qty is not null)
            detail["Qty"] = qty;
        if (unitPrice is not null)
            detail["UnitPrice"] = unitPrice;
        return new JsonObject { ["Amount"] = amount, ["DetailType"] = "SalesItemLineDetail", ["SalesItemLineDetail"] = detail };
    }
}
