using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using QuoteToCash.EndToEnd.Tests.Infrastructure;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.EndToEnd.Tests;

/// <summary>
/// Billing end to end against real RabbitMQ and the three sandboxes: deals won in HubSpot (one per billing model) and in
/// Salesforce become the right invoices in the tenant's QuickBooks company, found there by their PrivateNote; approvals
/// with segregation of duties; the parallel-run report against an invoice finance made by hand.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class BillingFlowTests(PlatformFixture platform)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string url, object? body = null, string? token = null,
        HttpStatusCode? expect = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        if (expect is { } status)
            Assert.True(response.StatusCode == status, $"{method} {url}: expected {(int)status}, got {(int)response.StatusCode} {text}");
        else
            Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text);
    }

    /// <summary>A tenant with its own QuickBooks company whose "Services" item is master data's default item.</summary>
    private async Task<(string Tenant, QuickBooksCompany Books, string ServicesItem)> BillingTenantAsync(string prefix)
    {
        var tenant = prefix + "-" + Guid.NewGuid().ToString("N")[..6];
        var books = await platform.ConnectQuickBooksAsync(tenant);
        using var quickbooks = new HttpClient { BaseAddress = platform.QuickBooks.BaseAddress };
        var items = await SendAsync(quickbooks, HttpMethod.Get,
            $"/v3/company/{books.RealmId}/query?query={Uri.EscapeDataString("select * from Item where Name = 'Services'")}&minorversion=75", token: books.AccessToken);
        var services = items.GetProperty("QueryResponse").GetProperty("Item")[0].GetProperty("Id").GetString()!;
        // Master data checks the item against QuickBooks' lists, which arrive shortly after the connection.
        Assert.True(await Eventually(async () =>
        {
            using var request = platform.Request(HttpMethod.Put, $"/api/master-data/{tenant}/policy", platform.AdminToken,
                new { defaultItemRef = services, defaultPaymentTerms = (string?)null });
            using var response = await platform.Client.SendAsync(request, Ct);
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(30)), "master data never accepted the default item");
        return (tenant, books, services);
    }

    private sealed record Portal(string PortalId, string ToolsToken);

    private async Task<Portal> HubSpotAsync(string tenant)
    {
        using var hubspot = new HttpClient { BaseAddress = platform.HubSpot.BaseAddress };
        var portalId = (await SendAsync(hubspot, HttpMethod.Post, "/_sandbox/portals", new { name = tenant })).GetProperty("portalId").ToString();
        var app = await SendAsync(hubspot, HttpMethod.Post, $"/_sandbox/portals/{portalId}/apps", new
        {
            name = "platform",
            targetUrl = new Uri(platform.Gateway.BaseAddress, $"/webhooks/hubspot/{tenant}").ToString(),
            subscriptions = new[] { "deal.creation", "deal.propertyChange:dealstage" },
        });
        var tools = (await SendAsync(hubspot, HttpMethod.Post, $"/_sandbox/portals/{portalId}/tokens", new { name = "tools" })).GetProperty("accessToken").GetString()!;
        foreach (var property in new[] { "q2c_billing_model", "q2c_billing_terms" })
            await SendAsync(hubspot, HttpMethod.Post, "/crm/v3/properties/deals",
                new { name = property, label = property, type = "string", fieldType = "textarea", groupName = "dealinformation" }, tools);
        await SendAsync(platform.Client, HttpMethod.Put, $"/api/crm/{tenant}/connection", new
        {
            kind = "hubspot", baseUrl = platform.HubSpot.BaseAddress.ToString(), accessToken = app.GetProperty("accessToken").GetString(),
            clientSecret = app.GetProperty("clientSecret").GetString(), appId = app.GetProperty("appId").ToString(), portalId,
        }, platform.AdminToken);
        return new Portal(portalId, tools);
    }

    /// <summary>A won HubSpot deal for a complete customer, with its billing model and terms in the q2c_* deal properties.</summary>
    private async Task<string> WonHubSpotDealAsync(Portal portal, string name, decimal amount, string model, object? terms)
    {
        using var hubspot = new HttpClient { BaseAddress = platform.HubSpot.BaseAddress };
        var company = await SendAsync(hubspot, HttpMethod.Post, "/crm/v3/objects/companies",
            new { properties = new { name = name + " Inc", address = "5 Quay St", city = "Portland", state = "OR", zip = "97201", country = "US" } }, portal.ToolsToken);
        var contact = await SendAsync(hubspot, HttpMethod.Post, "/crm/v3/objects/contacts",
            new { properties = new { email = $"ap@{name.ToLowerInvariant().Replace(' ', '-')}.test", firstname = "Ivy" } }, portal.ToolsToken);
        var properties = new Dictionary<string, string>
        {
            ["dealname"] = name, ["dealstage"] = "closedwon", ["pipeline"] = "default", ["amount"] = amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["deal_currency_code"] = "USD", ["q2c_billing_model"] = model,
        };
        if (terms is not null)
            properties["q2c_billing_terms"] = JsonSerializer.Serialize(terms, JsonSerializerOptions.Web);
        return (await SendAsync(hubspot, HttpMethod.Post, "/crm/v3/objects/deals", new
        {
            properties,
            associations = new object[]
            {
                new { to = new { id = company.GetProperty("id").GetString() }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 5 } } },
                new { to = new { id = contact.GetProperty("id").GetString() }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 3 } } },
            },
        }, portal.ToolsToken)).GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> FlowAsync(string tenant, string source, string dealId, Func<JsonElement, bool> until, string what)
    {
        JsonElement flow = default;
        Assert.True(await Eventually(async () =>
        {
            var flows = await SendAsync(platform.Client, HttpMethod.Get, $"/api/billing/{tenant}/flows?limit=1000", token: platform.AdminToken);
            flow = flows.EnumerateArray().FirstOrDefault(f => f.GetProperty("externalDealId").GetString() == dealId && f.GetProperty("sourceSystem").GetString() == source);
            return flow.ValueKind == JsonValueKind.Object && until(flow);
        }, TimeSpan.FromSeconds(60)), $"deal {source}:{dealId}: {what} (flow: {(flow.ValueKind == JsonValueKind.Object ? flow.GetRawText() : "none")})");
        return flow;
    }

    /// <summary>
    /// The tenant's QuickBooks invoices whose PrivateNote names the deal. The test reads with its own token on the
    /// company's request budget, which it shares with the platform: a throttled read counts as "not yet".
    /// </summary>
    private async Task<List<JsonElement>> InvoicesInQuickBooksAsync(QuickBooksCompany books, string source, string dealId)
    {
        using var quickbooks = new HttpClient { BaseAddress = platform.QuickBooks.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"/v3/company/{books.RealmId}/query?query={Uri.EscapeDataString("select * from Invoice MAXRESULTS 1000")}&minorversion=75");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", books.AccessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await quickbooks.SendAsync(request, Ct);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
            return [];
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"QuickBooks query: {(int)response.StatusCode} {text}");
        var found = JsonSerializer.Deserialize<JsonElement>(text);
        return found.GetProperty("QueryResponse").TryGetProperty("Invoice", out var invoices)
            ? invoices.EnumerateArray().Where(i => i.TryGetProperty("PrivateNote", out var note) && note.GetString()!.Contains($"deal:{source}:{dealId}", StringComparison.Ordinal)).ToList()
            : [];
    }

    private async Task<List<decimal>> InvoiceTotalsAsync(QuickBooksCompany books, string source, string dealId, int count)
    {
        List<JsonElement> invoices = [];
        Assert.True(await Eventually(async () => (invoices = await InvoicesInQuickBooksAsync(books, source, dealId)).Count >= count, TimeSpan.FromSeconds(60),
                TimeSpan.FromSeconds(1)),
            $"expected {count} invoice(s) in QuickBooks for deal:{source}:{dealId}, found {invoices.Count}");
        return invoices.Select(i => i.GetProperty("TotalAmt").GetDecimal()).Order().ToList();
    }

    [Fact]
    public async Task Deals_won_in_hubspot_under_each_billing_model_become_the_right_invoices_in_quickbooks()
    {
        TestEnvironment.RequireRabbitMq();
        var (tenant, books, _) = await BillingTenantAsync("models");
        var portal = await HubSpotAsync(tenant);
        var rates = new[] { new { role = "senior", rate = 150m } };

        var fixedFee = await WonHubSpotDealAsync(portal, "Fixed Launch", 7_200m, "fixed_fee", null);
        var milestones = await WonHubSpotDealAsync(portal, "Milestone Build", 10_000m, "milestones", new
        {
            milestones = new[] { new { id = "m1", name = "Kick-off", percent = 40m }, new { id = "m2", name = "Go-live", percent = 60m } },
        });
        var timeAndMaterials = await WonHubSpotDealAsync(portal, "Hourly Advisory", 0m, "time_and_materials", new { rateCard = rates, period = "Monthly" });
        var retainer = await WonHubSpotDealAsync(portal, "Retained Support", 5_000m, "retainer", new
        {
            retainer = new { deposit = 5_000m, threshold = 1_000m }, rateCard = rates,
        });
        var subscription = await WonHubSpotDealAsync(portal, "Seat Licence", 400m, "subscription", new
        {
            subscription = new { interval = "Monthly", quantity = 10m, unitPrice = 40m },
        });

        // What is due on signing is posted without anyone pressing a button.
        Assert.Equal([7_200m], await InvoiceTotalsAsync(books, "hubspot", fixedFee, 1));
        Assert.Equal([5_000m], await InvoiceTotalsAsync(books, "hubspot", retainer, 1));
        Assert.Equal([400m], await InvoiceTotalsAsync(books, "hubspot", subscription, 1));
        await FlowAsync(tenant, "hubspot", fixedFee, f => f.GetProperty("currentState").GetString() is "Posted" or "Sent", "the fixed fee was not posted");

        // A milestone reached is invoiced automatically: 40% of 10,000.
        await FlowAsync(tenant, "hubspot", milestones, f => f.GetProperty("currentState").GetString() == "ContractActive", "the milestone contract did not start");
        await SendAsync(platform.Client, HttpMethod.Post, $"/api/crm/{tenant}/deals/{milestones}/milestones",
            new { sourceSystem = "hubspot", milestoneId = "m1", name = "Kick-off" }, platform.AdminToken, HttpStatusCode.Accepted);
        Assert.Equal([4_000m], await InvoiceTotalsAsync(books, "hubspot", milestones, 1));

        // Time at the rate card, billed when the project completes: 10 h × 150.
        await FlowAsync(tenant, "hubspot", timeAndMaterials, f => f.GetProperty("customerId").ValueKind == JsonValueKind.String, "the T&M customer was not ready");
        await SendAsync(platform.Client, HttpMethod.Post, $"/api/crm/{tenant}/deals/{timeAndMaterials}/time-entries", new
        {
            sourceSystem = "hubspot", entryId = "te-1", person = "Ada", role = "senior", date = DateOnly.FromDateTime(DateTime.UtcNow), hours = 10m, billable = true,
        }, platform.AdminToken, HttpStatusCode.Accepted);
        await FlowAsync(tenant, "hubspot", timeAndMaterials, f => f.GetProperty("contract").GetProperty("billableHoursOpen").GetDecimal() == 10m,
            "the time entry was not recorded on the contract");
        await SendAsync(platform.Client, HttpMethod.Post, $"/api/crm/{tenant}/deals/{timeAndMaterials}/milestones",
            new { sourceSystem = "hubspot", milestoneId = "completion", name = "Project complete" }, platform.AdminToken, HttpStatusCode.Accepted);
        Assert.Equal([1_500m], await InvoiceTotalsAsync(books, "hubspot", timeAndMaterials, 1));

        var posted = await FlowAsync(tenant, "hubspot", subscription, f => f.GetProperty("currentState").GetString() is "Posted" or "Sent", "the subscription was not posted");
        var invoice = posted.GetProperty("invoices")[0];
        Assert.False(string.IsNullOrEmpty(invoice.GetProperty("docNumber").GetString()));
        Assert.Equal("Live", invoice.GetProperty("mode").GetString());
    }

    [Fact]
    public async Task An_opportunity_won_in_salesforce_becomes_an_invoice_in_quickbooks()
    {
        TestEnvironment.RequireRabbitMq();
        var (tenant, books, _) = await BillingTenantAsync("sfbill");
        using var salesforce = new HttpClient { BaseAddress = platform.Salesforce.BaseAddress };
        var org = await SendAsync(salesforce, HttpMethod.Post, "/_sandbox/orgs", new { name = tenant });
        var orgId = org.GetProperty("orgId").GetString()!;
        var tools = (await SendAsync(salesforce, HttpMethod.Post, $"/_sandbox/orgs/{orgId}/tokens", new { name = "tools", integrationUser = false })).GetProperty("accessToken").GetString()!;
        var integration = await SendAsync(salesforce, HttpMethod.Post, $"/_sandbox/orgs/{orgId}/tokens", new { name = "platform", integrationUser = true });
        var instance = org.TryGetProperty("instanceUrl", out var url) && url.GetString() is { Length: > 0 } u ? u.TrimEnd('/') : platform.Salesforce.BaseAddress.ToString().TrimEnd('/');
        // The Outbound Message URL, with its endpoint token, is shown once: in the answer that connected the org.
        var connection = await SendAsync(platform.Client, HttpMethod.Put, $"/api/crm/{tenant}/connection", new
        {
            kind = "salesforce", baseUrl = instance, accessToken = integration.GetProperty("accessToken").GetString(), organizationId = orgId,
            integrationUserId = integration.GetProperty("userId").GetString(),
        }, platform.AdminToken);
        var endpoint = new Uri(platform.Gateway.BaseAddress, connection.GetProperty("outboundMessageUrl").GetString()).ToString();
        await SendAsync(salesforce, HttpMethod.Post, $"/_sandbox/orgs/{orgId}/outbound-messages", new
        {
            name = "OpportunityWon", endpointUrl = endpoint, fields = new[] { "Id", "Name", "StageName", "Amount", "AccountId", "CloseDate", "IsWon" },
        });
        using var rest = new HttpClient { BaseAddress = new Uri(instance + "/services/data/v60.0/") };
        var accountId = (await SendAsync(rest, HttpMethod.Post, "sobjects/Account", new
        {
            Name = "Northwind Traders", BillingStreet = "1 Harbour Road", BillingCity = "Seattle", BillingState = "WA", BillingPostalCode = "98101", BillingCountry = "US",
        }, tools)).GetProperty("id").GetString();
        await SendAsync(rest, HttpMethod.Post, "sobjects/Contact", new { AccountId = accountId, FirstName = "Liam", LastName = "Walsh", Email = "ap@northwind.test" }, tools);
        var opportunityId = (await SendAsync(rest, HttpMethod.Post, "sobjects/Opportunity", new
        {
            Name = "Northwind rollout", AccountId = accountId, StageName = "Negotiation/Review", CloseDate = "2026-12-31", Amount = 12_400m,
        }, tools)).GetProperty("id").GetString()!;
        await SendAsync(rest, new HttpMethod("PATCH"), $"sobjects/Opportunity/{opportunityId}", new { StageName = "Closed Won" }, tools);

        Assert.Equal([12_400m], await InvoiceTotalsAsync(books, "salesforce", opportunityId, 1));
        await FlowAsync(tenant, "salesforce", opportunityId, f => f.GetProperty("currentState").GetString() is "Posted" or "Sent", "the opportunity's invoice was not posted");
    }

    [Fact]
    public async Task An_invoice_above_the_limit_waits_for_a_finance_manager_who_is_not_the_deal_owner()
    {
        TestEnvironment.RequireRabbitMq();
        var (tenant, books, _) = await BillingTenantAsync("approve");
        await SendAsync(platform.Client, HttpMethod.Put, $"/api/billing/{tenant}/policy",
            new { approval = new { maxDiscountPercent = 10m, maxNetDays = 30, maxAmount = 10_000m, manualLinesNeedApproval = true, slaHours = 24 } }, platform.AdminToken);
        var maria = await platform.SignInAsync("maria", platform.AdminPassword);
        var omar = await platform.SignInAsync("omar", platform.AdminPassword);
        var accepted = await SendAsync(platform.Client, HttpMethod.Post, $"/api/crm/{tenant}/deals", new
        {
            externalDealId = "BIG-1", dealName = "Big implementation", currency = "USD", ownerEmail = "maria", paymentTerms = "Net 30",
            customer = new
            {
                externalId = "acct-9", legalName = "Contoso Pharma Inc",
                billingAddress = new { line1 = "1 Main St", city = "Boston", region = "MA", postalCode = "02110", country = "US" },
                contacts = new[] { new { email = "ap@contoso-pharma.test", isBillingContact = true } },
            },
            lines = new[] { new { description = "Implementation", quantity = 1m, unitPrice = 25_000m } },
        }, platform.AdminToken, HttpStatusCode.Accepted);
        var flowId = accepted.GetProperty("flowId").GetString();

        var flow = await FlowAsync(tenant, "generic", "BIG-1", f => f.GetProperty("currentState").GetString() == "AwaitingApproval", "the invoice did not wait for approval");
        var invoice = flow.GetProperty("invoices")[0];
        Assert.Equal("Amount", invoice.GetProperty("approvalReasons")[0].GetProperty("code").GetString());
        var invoiceId = invoice.GetProperty("invoiceId").GetString();
        var pending = await SendAsync(platform.Client, HttpMethod.Get, $"/api/billing/{tenant}/approvals", token: maria);
        Assert.Contains(pending.EnumerateArray(), p => p.GetProperty("invoice").GetProperty("invoiceId").GetString() == invoiceId);

        // Maria owns the deal: she may not approve its invoice. A sales user may not decide at all.
        var refused = await SendAsync(platform.Client, HttpMethod.Post, $"/api/billing/{tenant}/flows/{flowId}/invoices/{invoiceId}/approve", new { note = "mine" },
            maria, HttpStatusCode.Forbidden);
        Assert.Equal("Segregation of duties", refused.GetProperty("title").GetString());
        Assert.Empty(await InvoicesInQuickBooksAsync(books, "generic", "BIG-1"));

        await SendAsync(platform.Client, HttpMethod.Post, $"/api/billing/{tenant}/flows/{flowId}/invoices/{invoiceId}/approve", new { note = "framework agreement" },
            omar, HttpStatusCode.Accepted);
        Assert.Equal([25_000m], await InvoiceTotalsAsync(books, "generic", "BIG-1", 1));
        flow = await FlowAsync(tenant, "generic", "BIG-1", f => f.GetProperty("currentState").GetString() is "Posted" or "Sent", "the approved invoice was not posted");
        Assert.Equal("omar", flow.GetProperty("invoices")[0].GetProperty("decidedBy").GetString());
    }

    [Fact]
    public async Task In_parallel_run_the_report_compares_drafted_invoices_with_those_finance_made_by_hand()
    {
        TestEnvironment.RequireRabbitMq();
        var (tenant, books, servicesItem) = await BillingTenantAsync("parallel");
        await SendAsync(platform.Client, HttpMethod.Put, $"/api/billing/{tenant}/policy",
            new { rollout = new { mode = "ParallelRun", businessUnits = Array.Empty<string>(), regions = Array.Empty<string>(), onlyApprovedCustomers = false } },
            platform.AdminToken);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await SendAsync(platform.Client, HttpMethod.Post, $"/api/crm/{tenant}/deals", new
        {
            externalDealId = "PR-1", dealName = "Audit", currency = "USD", paymentTerms = "Net 30",
            customer = new
            {
                externalId = "acct-pr", legalName = "Fabrikam Audit LLC",
                billingAddress = new { line1 = "9 Elm St", city = "Denver", region = "CO", postalCode = "80202", country = "US" },
                contacts = new[] { new { email = "ap@fabrikam-audit.test", isBillingContact = true } },
            },
            lines = new[] { new { description = "Annual audit", quantity = 1m, unitPrice = 6_000m } },
        }, platform.AdminToken, HttpStatusCode.Accepted);
        var flow = await FlowAsync(tenant, "generic", "PR-1", f => f.GetProperty("currentState").GetString() == "Drafted", "the invoice was not drafted");
        Assert.Equal("ParallelRun", flow.GetProperty("invoices")[0].GetProperty("mode").GetString());

        // Finance billed the same customer by hand in QuickBooks, 250 less.
        var customerId = flow.GetProperty("customerId").GetString();
        var customer = await SendAsync(platform.Client, HttpMethod.Get, $"/api/master-data/{tenant}/customers/{customerId}", token: platform.AdminToken);
        using var quickbooks = new HttpClient { BaseAddress = platform.QuickBooks.BaseAddress };
        await SendAsync(quickbooks, HttpMethod.Post, $"/v3/company/{books.RealmId}/invoice?minorversion=75", new
        {
            CustomerRef = new { value = customer.GetProperty("accountingCustomerRef").GetString() },
            TxnDate = today.ToString("yyyy-MM-dd"),
            Line = new[] { new { Amount = 5_750m, DetailType = "SalesItemLineDetail", SalesItemLineDetail = new { ItemRef = new { value = servicesItem }, Qty = 1m, UnitPrice = 5_750m } } },
        }, books.AccessToken);

        var report = await SendAsync(platform.Client, HttpMethod.Get,
            $"/api/billing/{tenant}/parallel-run?from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}", token: platform.AdminToken);
        Assert.Equal((1, 1), (report.GetProperty("draftedInvoices").GetInt32(), report.GetProperty("handMadeInvoices").GetInt32()));
        var difference = report.GetProperty("report").GetProperty("amountDifferences")[0];
        Assert.Equal((6_000m, 5_750m), (difference.GetProperty("draftedTotal").GetDecimal(), difference.GetProperty("handMadeTotal").GetDecimal()));
        Assert.Empty(await InvoicesInQuickBooksAsync(books, "generic", "PR-1")); // drafted, never posted
    }
}
