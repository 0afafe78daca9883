using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace QuoteToCash.Sandbox.Salesforce.Tests.Infrastructure;

public sealed record SfResponse(HttpStatusCode Status, HttpResponseHeaders Headers, JsonNode? Json, string Text)
{
    public JsonNode Body => Json ?? throw new InvalidOperationException($"No JSON body ({(int)Status}): {Text}");

    public SfResponse Expect(HttpStatusCode status)
    {
        Assert.True(Status == status, $"Expected {(int)status}, got {(int)Status}: {Text}");
        return this;
    }

    /// <summary>The errorCode of Salesforce's [{message, errorCode}] error body.</summary>
    public string ErrorCode => Body.AsArray()[0]!["errorCode"]!.GetValue<string>();

    public string ErrorMessage => Body.AsArray()[0]!["message"]!.GetValue<string>();
}

/// <summary>HTTP helper over the sandbox: control API set-up and token-authenticated REST calls.</summary>
public sealed class SalesforceClient(HttpClient http)
{
    public const string Data = "/services/data/v60.0";

    public HttpClient Http { get; } = http;

    public async Task<SfResponse> SendAsync(HttpMethod method, string path, object? body = null, string? token = null, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (content is not null)
            request.Content = content;
        else if (body is not null)
            request.Content = body is string raw ? new StringContent(raw, Encoding.UTF8, "application/json") : JsonContent.Create(body);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json")
            json = JsonNode.Parse(text);
        return new SfResponse(response.StatusCode, response.Headers, json, text);
    }

    public Task<SfResponse> PostAsync(string path, object? body, string? token = null) => SendAsync(HttpMethod.Post, path, body, token);

    /// <summary>A fresh org with a tools user, as run.sh would set one up.</summary>
    public async Task<TestOrg> NewOrgAsync(string? name = null)
    {
        name ??= "org-" + Guid.NewGuid().ToString("N")[..8];
        var org = (await PostAsync("/_sandbox/orgs", new { name })).Body;
        var orgId = org["orgId"]!.GetValue<string>();
        var tools = (await PostAsync($"/_sandbox/orgs/{orgId}/tokens", new { name = "tools", integrationUser = false })).Body;
        return new TestOrg(this, orgId, tools["accessToken"]!.GetValue<string>(), tools["userId"]!.GetValue<string>());
    }
}

public sealed record TestOrg(SalesforceClient Client, string OrgId, string Token, string UserId)
{
    public Task<SfResponse> GetAsync(string path) => Client.SendAsync(HttpMethod.Get, SalesforceClient.Data + path, null, Token);

    public Task<SfResponse> PostAsync(string path, object? body) => Client.SendAsync(HttpMethod.Post, SalesforceClient.Data + path, body, Token);

    public Task<SfResponse> PatchAsync(string path, object? body) => Client.SendAsync(HttpMethod.Patch, SalesforceClient.Data + path, body, Token);

    public Task<SfResponse> DeleteAsync(string path) => Client.SendAsync(HttpMethod.Delete, SalesforceClient.Data + path, null, Token);

    public Task<SfResponse> QueryAsync(string soql) => GetAsync("/query?q=" + Uri.EscapeDataString(soql));

    public async Task<JsonArray> RecordsAsync(string soql) => (await QueryAsync(soql)).Expect(HttpStatusCode.OK).Body["records"]!.AsArray();

    public async Task<string> CreateAsync(string sobject, object fields) =>
        (await PostAsync($"/sobjects/{sobject}", fields)).Expect(HttpStatusCode.Created).Body["id"]!.GetValue<string>();

    public Task<string> CreateAccountAsync(string name = "Northwind Consulting") => CreateAsync("Account", new { Name = name, Industry = "Consulting" });

    public Task<string> CreateOpportunityAsync(string accountId, string name = "Northwind retainer", string stage = "Prospecting", decimal? amount = 12000m) =>
        CreateAsync("Opportunity", new { Name = name, AccountId = accountId, StageName = stage, CloseDate = "2026-06-30", Amount = amount });

    /// <summary>The standard price book entry of a seeded product (by product code).</summary>
    public async Task<JsonNode> StandardEntryAsync(string productCode) =>
        (await RecordsAsync($"SELECT Id, UnitPrice, Product2Id FROM PricebookEntry WHERE Pricebook2.IsStandard = true AND Product2.ProductCode = '{productCode}'"))[0]!;
}
