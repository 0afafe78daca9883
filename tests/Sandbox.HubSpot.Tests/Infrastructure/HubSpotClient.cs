using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace QuoteToCash.Sandbox.HubSpot.Tests.Infrastructure;

/// <summary>A response as a test sees it: status, headers and parsed JSON.</summary>
public sealed record HubSpotResponse(HttpStatusCode Status, HttpResponseHeaders Headers, JsonNode? Json, string Text)
{
    public JsonNode Body => Json ?? throw new InvalidOperationException($"No JSON body ({(int)Status}): {Text}");

    public HubSpotResponse Expect(HttpStatusCode status)
    {
        Assert.True(Status == status, $"Expected {(int)status}, got {(int)Status}: {Text}");
        return this;
    }

    public string Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}

/// <summary>Thin HTTP helper over the sandbox: control API set-up and bearer-authenticated CRM calls.</summary>
public sealed class HubSpotClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public async Task<HubSpotResponse> SendAsync(HttpMethod method, string path, object? body = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = body is string raw ? new StringContent(raw, Encoding.UTF8, "application/json") : JsonContent.Create(body);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json")
            json = JsonNode.Parse(text);
        return new HubSpotResponse(response.StatusCode, response.Headers, json, text);
    }

    public Task<HubSpotResponse> GetAsync(string path, string? token) => SendAsync(HttpMethod.Get, path, null, token);

    public Task<HubSpotResponse> PostAsync(string path, object? body, string? token = null) => SendAsync(HttpMethod.Post, path, body, token);

    public Task<HubSpotResponse> PatchAsync(string path, object? body, string? token) => SendAsync(HttpMethod.Patch, path, body, token);

    public Task<HubSpotResponse> PutAsync(string path, object? body, string? token = null) => SendAsync(HttpMethod.Put, path, body, token);

    public Task<HubSpotResponse> DeleteAsync(string path, string? token) => SendAsync(HttpMethod.Delete, path, null, token);

    /// <summary>A fresh portal with a tools token, as run.sh would set one up.</summary>
    public async Task<TestPortal> NewPortalAsync(string? name = null)
    {
        name ??= "portal-" + Guid.NewGuid().ToString("N")[..8];
        var portal = (await PostAsync("/_sandbox/portals", new { name })).Body;
        var portalId = portal["portalId"]!.GetValue<string>();
        var tools = (await PostAsync($"/_sandbox/portals/{portalId}/tokens", new { name = "tools" })).Body;
        return new TestPortal(this, portalId, tools["accessToken"]!.GetValue<string>(), tools["appId"]!.GetValue<string>());
    }
}

public sealed record TestPortal(HubSpotClient Client, string PortalId, string ToolsToken, string ToolsAppId)
{
    public async Task<JsonNode> CreateAppAsync(string name, string? targetUrl, params string[] subscriptions) =>
        (await Client.PostAsync($"/_sandbox/portals/{PortalId}/apps", new { name, targetUrl, subscriptions })).Body;

    public async Task<string> CreateAsync(string objectType, object properties, object[]? associations = null, string? token = null)
    {
        var response = await Client.PostAsync($"/crm/v3/objects/{objectType}", new { properties, associations = associations ?? [] }, token ?? ToolsToken);
        return response.Expect(HttpStatusCode.Created).Body["id"]!.GetValue<string>();
    }

    public async Task<string> CreateCompanyAsync(string name = "Northwind Consulting") =>
        await CreateAsync("companies", new { name, domain = name.Replace(" ", "").ToLowerInvariant() + ".example" });

    public async Task<string> CreateDealAsync(string name = "Northwind retainer", string stage = "appointmentscheduled", string? companyId = null, string? token = null) =>
        await CreateAsync("deals", new { dealname = name, dealstage = stage, pipeline = "default", amount = "12000.00" },
            companyId is null ? null : [Association(companyId, 5)], token);

    public static object Association(string toId, int typeId) =>
        new { to = new { id = toId }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = typeId } } };
}
