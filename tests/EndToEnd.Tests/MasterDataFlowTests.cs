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

    /// <summary>A finance edit, tried again (as the 409's "reload it and try again" says) while a background write races it.</summary>
    /// <summary>A PATCH as finance sends it: a 409 "Changed meanwhile" (a background write met it) is reloaded and sent again.</summary>
    private Task<JsonElement> EditAsync(string url, object body) => SendUntilUnchangedAsync(HttpMethod.Patch, url, body);

    private async Task<JsonElement> SendUntilUnchangedAsync(HttpMethod method, string url, object body)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", platform.AdminToken);
            using var response = await platform.Client.SendAsync(request, TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            if (response.StatusCode == System.Net.HttpStatusCode.Conflict && attempt < 10)
            {
                Assert.Contains("Changed meanwhile", text, StringComparison.Ordinal);
                await Task.Delay(TimeSpan.FromMilliseconds(300 * attempt), TestContext.Current.CancellationToken);
                continue;
            }
            Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {text}");
            return JsonSerializer.Deserialize<JsonElement>(text);
        }
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
            return flow.GetProperty("currentState").GetString() == "HeldForMapping";
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

    private static object Deal(string dealId, string customerId, string legalName) => new
    {
        externalDealId = dealId,
        dealName = "Brand refresh " + dealId,
        currency = "GBP",
        customer = new
        {
            externalId = customerId,
            legalName,
            taxId = "GB 555 1234 56",
            billingAddress = new { line1 = "12 Mill Lane", city = "Manchester", country = "GB" },
            contacts = new[] { new { email = "accounts@fabrikam-design.test", isBillingContact = true } },
        },
        lines = new[] { new { description = "Brand workshop", quantity = 2m, unitPrice = 1800m } },
    };

    private async Task<JsonElement> FlowInStateAsync(string tenant, string flowId, string state)
    {
        JsonElement flow = default;
        Assert.True(await Eventually(async () =>
        {
            // 404 until billing-rules has started the flow.
            using var response = await platform.Client.SendAsync(platform.Request(HttpMethod.Get, $"/api/billing/{tenant}/flows/{flowId}", platform.AdminToken),
                TestContext.Current.CancellationToken);
            if (!response.IsSuccessStatusCode)
                return false;
            flow = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            return flow.GetProperty("currentState").GetString() == state;
        }, TimeSpan.FromSeconds(45)), $"flow {flowId} did not reach {state}; it is {(flow.ValueKind == JsonValueKind.Object ? flow.GetProperty("currentState").GetString() : "missing")}");
        return flow;
    }

    [Fact]
    public async Task A_second_crm_record_of_a_known_company_is_held_as_a_duplicate_until_finance_merges_it_and_changes_keep_their_history()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = "mdmerge-" + Guid.NewGuid().ToString("N")[..6];
        await platform.ConnectQuickBooksAsync(tenant);

        var first = (await SendAsync(platform.Client, HttpMethod.Post, $"/api/crm/{tenant}/deals", Deal("D-1", "C-1", "Fabrikam Design Ltd"), platform.AdminToken))
            .GetProperty("flowId").GetString()!;
        var survivorId = (await FlowInStateAsync(tenant, first, "HeldForMapping")).GetProperty("customerId").GetString();

        var second = (await SendAsync(platform.Client, HttpMethod.Post, $"/api/crm/{tenant}/deals", Deal("D-2", "C-2", "Fabrikam Design Limited"), platform.AdminToken))
            .GetProperty("flowId").GetString()!;
        var held = await FlowInStateAsync(tenant, second, "CustomerOnHold");
        var duplicateId = held.GetProperty("customerId").GetString();
        Assert.StartsWith("possible duplicate of Fabrikam Design Ltd", held.GetProperty("customerReviewReasons")[0].GetString());

        var review = await SendAsync(platform.Client, HttpMethod.Get, $"/api/master-data/{tenant}/review?kind=PotentialDuplicate", token: platform.AdminToken);
        var item = Assert.Single(review.EnumerateArray());
        var candidate = item.GetProperty("candidates")[0];
        Assert.Equal(survivorId, candidate.GetProperty("customerId").GetString());
        Assert.Contains("same tax ID", candidate.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));

        await SendAsync(platform.Client, HttpMethod.Post, $"/api/master-data/{tenant}/customers/{duplicateId}/merge", new { survivorId, note = "same company" }, platform.AdminToken);

        var merged = await FlowInStateAsync(tenant, second, "HeldForMapping");
        Assert.Equal(survivorId, merged.GetProperty("customerId").GetString());
        var survivor = await SendAsync(platform.Client, HttpMethod.Get, $"/api/master-data/{tenant}/customers/{survivorId}", token: platform.AdminToken);
        Assert.Equal(["C-1", "C-2"], survivor.GetProperty("crossReferences").EnumerateArray()
            .Where(r => r.GetProperty("system").GetString() == "generic").Select(r => r.GetProperty("externalId").GetString()).Order());

        // Finance renames the company, which the CRM owns: held for a decision, applied when accepted, and recorded.
        // The merge re-syncs the survivor to QuickBooks in the background; an edit or a decision that meets that write is
        // answered 409 "reload it and try again", which is what finance does.
        var change = await EditAsync($"/api/master-data/{tenant}/customers/{survivorId}", new { legalName = "Fabrikam Design Group Ltd" });
        var conflict = Assert.Single(change.GetProperty("opened").EnumerateArray());
        Assert.Equal("OwnershipConflict", conflict.GetProperty("kind").GetString());
        await SendUntilUnchangedAsync(HttpMethod.Post, $"/api/master-data/{tenant}/review/{conflict.GetProperty("itemId").GetString()}/resolve",
            new { decision = "accept", note = "per the signed contract" });

        var history = await SendAsync(platform.Client, HttpMethod.Get, $"/api/master-data/{tenant}/customers/{survivorId}/history", token: platform.AdminToken);
        var renamed = Assert.Single(history.EnumerateArray(), h => h.GetProperty("field").GetString() == "legalName" && h.GetProperty("source").GetString() == "finance");
        Assert.Equal("\"Fabrikam Design Group Ltd\"", renamed.GetProperty("newValue").GetString());
        Assert.Contains("per the signed contract", renamed.GetProperty("reason").GetString());
        Assert.Contains(history.EnumerateArray(), h => h.GetProperty("field").GetString() == "crossReferences");

        // The tax ID travelled through intake, master data and the review queue: no answer and no service log shows it whole.
        Assert.Equal("••••3456", survivor.GetProperty("taxId").GetString());
        var resolved = await SendAsync(platform.Client, HttpMethod.Get, $"/api/master-data/{tenant}/review?status=Resolved", token: platform.AdminToken);
        Assert.DoesNotContain("1234 56", resolved.GetRawText());
        Assert.DoesNotContain("1234 56", history.GetRawText());
        foreach (var service in new[] { "crm-ingest", "master-data", "billing-rules", "accounting-sync", "reporting", "gateway" })
            Assert.DoesNotContain("555 1234", platform.Service(service).Output);
    }

    private async Task<JsonElement> QuickBooksAsync(QuickBooksCompany company, HttpMethod method, string path, object? body = null)
    {
        using var quickbooks = new HttpClient { BaseAddress = platform.QuickBooks.BaseAddress };
        var separator = path.Contains('?') ? '&' : '?';
        return await SendAsync(quickbooks, method, $"/v3/company/{company.RealmId}/{path}{separator}minorversion=75", body, company.AccessToken);
    }

    private static object GenericDeal(string dealId, string customerId, string legalName, string email, string? productSku = null) => new
    {
        externalDealId = dealId,
        dealName = "Advisory " + dealId,
        currency = "USD",
        customer = new
        {
            externalId = customerId,
            legalName,
            billingAddress = new { line1 = "400 Pine St", city = "Seattle", country = "US" },
            contacts = new[] { new { email, isBillingContact = true } },
        },
        lines = new[] { new { description = "Advisory day", sku = productSku, quantity = 3m, unitPrice = 1200m } },
    };

    [Fact]
    public async Task Customers_already_in_quickbooks_are_linked_and_an_inactive_namesake_gets_a_readable_suffix()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = "mdqbo-" + Guid.NewGuid().ToString("N")[..6];
        var company = await platform.ConnectQuickBooksAsync(tenant);
        var existing = (await QuickBooksAsync(company, HttpMethod.Post, "customer",
            new { DisplayName = "Northwind Traders Ltd", PrimaryEmailAddr = new { Address = "ap@northwind.test" } })).GetProperty("Customer");
        var inactive = (await QuickBooksAsync(company, HttpMethod.Post, "customer", new { DisplayName = "Litware Inc" })).GetProperty("Customer");
        await QuickBooksAsync(company, HttpMethod.Post, "customer", new
        {
            Id = inactive.GetProperty("Id").GetString(), SyncToken = inactive.GetProperty("SyncToken").GetString(), sparse = true, Active = false,
        });

        var linkedFlow = (await SendAsync(platform.Client, HttpMethod.Post, $"/api/crm/{tenant}/deals",
            GenericDeal("D-1", "C-1", "Northwind Traders Ltd", "ap@northwind.test"), platform.AdminToken)).GetProperty("flowId").GetString()!;
        var suffixedFlow = (await SendAsync(platform.Client, HttpMethod.Post, $"/api/crm/{tenant}/deals",
            GenericDeal("D-2", "C-2", "Litware Inc", "ap@litware.test"), platform.AdminToken)).GetProperty("flowId").GetString()!;

        var linked = await SendAsync(platform.Client, HttpMethod.Get,
            $"/api/master-data/{tenant}/customers/{(await FlowInStateAsync(tenant, linkedFlow, "HeldForMapping")).GetProperty("customerId").GetString()}", token: platform.AdminToken);
        Assert.Equal(existing.GetProperty("Id").GetString(), linked.GetProperty("accountingCustomerRef").GetString());
        var namesakes = await QuickBooksAsync(company, HttpMethod.Get, "query?query=" + Uri.EscapeDataString("select * from Customer where DisplayName = 'Northwind Traders Ltd'"));
        Assert.Single(namesakes.GetProperty("QueryResponse").GetProperty("Customer").EnumerateArray());

        var suffixedId = (await FlowInStateAsync(tenant, suffixedFlow, "HeldForMapping")).GetProperty("customerId").GetString();
        var suffixed = await SendAsync(platform.Client, HttpMethod.Get, $"/api/master-data/{tenant}/customers/{suffixedId}", token: platform.AdminToken);
        var displayName = suffixed.GetProperty("displayName").GetString()!;
        Assert.StartsWith("Litware Inc (Q2C ", displayName);
        Assert.NotEqual(inactive.GetProperty("Id").GetString(), suffixed.GetProperty("accountingCustomerRef").GetString());
        var inQuickBooks = await QuickBooksAsync(company, HttpMethod.Get, $"customer/{suffixed.GetProperty("accountingCustomerRef").GetString()}");
        Assert.Equal(displayName, inQuickBooks.GetProperty("Customer").GetProperty("DisplayName").GetString());
        var history = await SendAsync(platform.Client, HttpMethod.Get, $"/api/master-data/{tenant}/customers/{suffixedId}/history", token: platform.AdminToken);
        Assert.Contains(history.EnumerateArray(), h => h.GetProperty("field").GetString() == "displayName" && h.GetProperty("source").GetString() == "quickbooks");
    }

    [Fact]
    public async Task Finance_approves_each_customer_itself_and_maps_the_products_of_won_deals()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = "mdappr-" + Guid.NewGuid().ToString("N")[..6];
        var company = await platform.ConnectQuickBooksAsync(tenant);
        await SendAsync(platform.Client, HttpMethod.Put, $"/api/master-data/{tenant}/policy", new { autoApproveComplete = false }, platform.AdminToken);

        var flowId = (await SendAsync(platform.Client, HttpMethod.Post, $"/api/crm/{tenant}/deals",
            GenericDeal("D-1", "C-1", "Adventure Works LLC", "ap@adventure-works.test", "ADVISORY-DAY"), platform.AdminToken)).GetProperty("flowId").GetString()!;
        var held = await FlowInStateAsync(tenant, flowId, "CustomerOnHold");
        Assert.Contains("waits for finance approval", held.GetProperty("customerReviewReasons")[0].GetString());

        var approved = await SendAsync(platform.Client, HttpMethod.Post, $"/api/master-data/{tenant}/customers/{held.GetProperty("customerId").GetString()}/approve",
            new { note = "credit check passed" }, platform.AdminToken);
        Assert.Equal(("Approved", "admin"), (approved.GetProperty("status").GetString(), approved.GetProperty("approvedBy").GetString()));
        await FlowInStateAsync(tenant, flowId, "HeldForMapping");

        // The deal's product has no mapping: finance sees it, maps it to a QuickBooks item, and coverage follows.
        JsonElement missing = default;
        Assert.True(await Eventually(async () =>
        {
            missing = await SendAsync(platform.Client, HttpMethod.Get, $"/api/master-data/{tenant}/review?kind=MappingMissing", token: platform.AdminToken);
            return missing.GetArrayLength() == 1;
        }, TimeSpan.FromSeconds(30)), "no missing-mapping item for the deal's product");
        Assert.Contains("sku:ADVISORY-DAY", missing[0].GetProperty("reasons")[0].GetString());
        var items = await QuickBooksAsync(company, HttpMethod.Get, "query?query=" + Uri.EscapeDataString("select * from Item where Name = 'Consulting'"));
        var itemId = items.GetProperty("QueryResponse").GetProperty("Item")[0].GetProperty("Id").GetString();
        JsonElement mapped = default;
        Assert.True(await Eventually(async () =>
        {
            using var response = await platform.Client.SendAsync(platform.Request(HttpMethod.Put, $"/api/master-data/{tenant}/item-mappings", platform.AdminToken,
                new[] { new { sku = "ADVISORY-DAY", productName = "Advisory day", itemRef = itemId } }), TestContext.Current.CancellationToken);
            if (!response.IsSuccessStatusCode)
                return false; // 409 until accounting-sync has reported the company's lists
            mapped = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            return true;
        }, TimeSpan.FromSeconds(30)), "the mapping was not accepted");
        Assert.Equal("Created", mapped[0].GetProperty("outcome").GetString());

        var review = await SendAsync(platform.Client, HttpMethod.Get, $"/api/master-data/{tenant}/review?kind=MappingMissing", token: platform.AdminToken);
        Assert.Equal(0, review.GetArrayLength());
        var coverage = await SendAsync(platform.Client, HttpMethod.Get, $"/api/master-data/{tenant}/item-mappings/coverage", token: platform.AdminToken);
        var usd = Assert.Single(coverage.GetProperty("byCurrency").EnumerateArray());
        Assert.Equal((3600m, 3600m, 1m), (usd.GetProperty("wonRevenue").GetDecimal(), usd.GetProperty("mappedRevenue").GetDecimal(), usd.GetProperty("mappedShare").GetDecimal()));
    }
}
