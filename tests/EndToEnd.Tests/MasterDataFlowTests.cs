using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using QuoteToCash.EndToEnd.Tests.Infrastructure;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.EndToEnd.Tests;

/// <summary>
/// Finance's side of a deal, through the gateway against the HubSpot and QuickBooks sandboxes: a won deal whose
/// company lacks an address waits; finance completes the customer through the API; the customer is created in
/// QuickBooks and the deal moves on with its QuickBooks customer ID.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class MasterDataFlowTests(PlatformFixture platform)
{
    private async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string url, object? body = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text);
    }

    [Fact]
    public async Task A_deal_for_a_company_without_an_address_continues_once_finance_completes_the_customer_and_it_is_in_quickbooks()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = "mdflow-" + Guid.NewGuid().ToString("N")[..6];
        var quickBooks = await platform.ConnectQuickBooksAsync(tenant);
        using var hubspot = new HttpClient { BaseAddress = platform.HubSpot.BaseAddress };
        var portalId = (await SendAsync(hubspot, HttpMethod.Post, "/_sandbox/portals", new { name = tenant })).GetProperty("portalId").ToString();
        var app = await SendAsync(hubspot, HttpMethod.Post, $"/_sandbox/portals/{portalId}/apps", new
        {
            name = "platform",
            targetUrl = new Uri(platform.Gateway.BaseAddress, $"/webhooks/hubspot/{tenant}").ToString(),
            subscriptions = new[] { "deal.creation", "deal.propertyChange:dealstage" },
        });
        var tools = (await SendAsync(hubspot, HttpMethod.Post, $"/_sandbox/portals/{portalId}/tokens", new { name = "tools" })).GetProperty("accessToken").GetString();
        await SendAsync(platform.Client, HttpMethod.Put, $"/api/crm/{tenant}/connection", new
        {
            kind = "hubspot", baseUrl = platform.HubSpot.BaseAddress.ToString(), accessToken = app.GetProperty("accessToken").GetString(),
            clientSecret = app.GetProperty("clientSecret").GetString(), appId = app.GetProperty("appId").ToString(), portalId,
        }, platform.AdminToken);

        // The sales rep never entered the company's address.
        var company = await SendAsync(hubspot, HttpMethod.Post, "/crm/v3/objects/companies", new { properties = new { name = "Wide World Importers Ltd", domain = "wideworld.test" } }, tools);
        var contact = await SendAsync(hubspot, HttpMethod.Post, "/crm/v3/objects/contacts", new { properties = new { email = "ap@wideworld.test", firstname = "Noor" } }, tools);
        var dealId = (await SendAsync(hubspot, HttpMethod.Post, "/crm/v3/objects/deals", new
        {
            properties = new { dealname = "Wide World rollout", dealstage = "closedwon", pipeline = "default", amount = "9600", deal_currency_code = "GBP" },
            associations = new object[]
            {
                new { to = new { id = company.GetProperty("id").GetString() }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 5 } } },
                new { to = new { id = contact.GetProperty("id").GetString() }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 3 } } },
            },
        }, tools)).GetProperty("id").GetString()!;

        JsonElement flow = default;
        Assert.True(await Eventually(async () =>
        {
            var flows = await SendAsync(platform.Client, HttpMethod.Get, $"/api/billing/{tenant}/flows", token: platform.AdminToken);
            flow = flows.EnumerateArray().FirstOrDefault(f => f.GetProperty("externalDealId").GetString() == dealId);
            return flow.ValueKind == JsonValueKind.Object && flow.GetProperty("currentState").GetString() == "CustomerOnHold";
        }, TimeSpan.FromSeconds(45)), "the deal was not held for its customer");
        Assert.Contains("missing billing address street", flow.GetProperty("customerReviewReasons").EnumerateArray().Select(r => r.GetString()));
        var customerId = flow.GetProperty("customerId").GetString();

        var review = await SendAsync(platform.Client, HttpMethod.Get, $"/api/master-data/{tenant}/review?kind=MissingFields", token: platform.AdminToken);
        Assert.Contains(review.EnumerateArray(), i => i.GetProperty("customerId").GetString() == customerId);

        var changed = await SendAsync(platform.Client, HttpMethod.Patch, $"/api/master-data/{tenant}/customers/{customerId}",
            new { billingAddress = new { line1 = "1 Harbour Way", city = "Southampton", postalCode = "SO14 2AQ", country = "United Kingdom" } }, platform.AdminToken);
        Assert.Equal("Approved", changed.GetProperty("customer").GetProperty("status").GetString());

        Assert.True(await Eventually(async () =>
        {
            flow = await SendAsync(platform.Client, HttpMethod.Get, $"/api/billing/{tenant}/flows/{flow.GetProperty("flowId").GetString()}", token: platform.AdminToken);
            return flow.GetProperty("currentState").GetString() == "Contracting";
        }, TimeSpan.FromSeconds(45)), "the deal did not move on after finance completed its customer");

        var customer = await SendAsync(platform.Client, HttpMethod.Get, $"/api/master-data/{tenant}/customers/{customerId}", token: platform.AdminToken);
        var accountingRef = customer.GetProperty("accountingCustomerRef").GetString();
        Assert.False(string.IsNullOrEmpty(accountingRef));
        using var quickbooks = new HttpClient { BaseAddress = platform.QuickBooks.BaseAddress };
        var inQuickBooks = await SendAsync(quickbooks, HttpMethod.Get, $"/v3/company/{quickBooks.RealmId}/customer/{accountingRef}?minorversion=75", token: quickBooks.AccessToken);
        var qboCustomer = inQuickBooks.GetProperty("Customer");
        Assert.Equal("Wide World Importers Ltd", qboCustomer.GetProperty("DisplayName").GetString());
        Assert.Equal("Southampton", qboCustomer.GetProperty("BillAddr").GetProperty("City").GetString());
        Assert.Equal("ap@wideworld.test", qboCustomer.GetProperty("PrimaryEmailAddr").GetProperty("Address").GetString());

        var history = await SendAsync(platform.Client, HttpMethod.Get, $"/api/master-data/{tenant}/customers/{customerId}/history", token: platform.AdminToken);
        Assert.Contains(history.EnumerateArray(), h => h.GetProperty("field").GetString() == "billingAddress" && h.GetProperty("source").GetString() == "finance");
        Assert.Contains(history.EnumerateArray(), h => h.GetProperty("field").GetString() == "accountingCustomerRef");
    }
}
