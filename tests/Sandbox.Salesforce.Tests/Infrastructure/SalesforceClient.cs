using System.Net;
using System.Text.Json.Nodes;
using QuoteToCash.Testing;

namespace QuoteToCash.Sandbox.Salesforce.Tests.Infrastructure;

/// <summary>Salesforce's error body, [{message, errorCode}], on a sandbox response.</summary>
public static class SalesforceErrors
{
    extension(SandboxResponse response)
    {
        public string ErrorCode => response.Body.AsArray()[0]!["errorCode"]!.GetValue<string>();

        public string ErrorMessage => response.Body.AsArray()[0]!["message"]!.GetValue<string>();
    }
}

/// <summary>The sandbox's control API set-up and token-authenticated REST calls.</summary>
public sealed class SalesforceClient(HttpClient http) : SandboxApi(http)
{
    public const string Data = "/services/data/v60.0";

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
    public Task<SandboxResponse> GetAsync(string path) => Client.SendAsync(HttpMethod.Get, SalesforceClient.Data + path, null, Token);

    public Task<SandboxResponse> PostAsync(string path, object? body) => Client.SendAsync(HttpMethod.Post, SalesforceClient.Data + path, body, Token);

    public Task<SandboxResponse> PatchAsync(string path, object? body) => Client.SendAsync(HttpMethod.Patch, SalesforceClient.Data + path, body, Token);

    public Task<SandboxResponse> DeleteAsync(string path) => Client.SendAsync(HttpMethod.Delete, SalesforceClient.Data + path, null, Token);

    public Task<SandboxResponse> QueryAsync(string soql) => GetAsync("/query?q=" + Uri.EscapeDataString(soql));

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
