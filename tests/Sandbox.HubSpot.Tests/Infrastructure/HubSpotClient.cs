using System.Net;
using System.Text.Json.Nodes;
using QuoteToCash.Testing;

namespace QuoteToCash.Sandbox.HubSpot.Tests.Infrastructure;

/// <summary>The sandbox's control API set-up and bearer-authenticated CRM calls.</summary>
public sealed class HubSpotClient(HttpClient http) : SandboxApi(http)
{
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
