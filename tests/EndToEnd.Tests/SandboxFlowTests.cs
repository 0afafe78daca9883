using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MassTransit;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.EndToEnd.Tests.Infrastructure;
using QuoteToCash.ServiceDefaults.Messaging;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.EndToEnd.Tests;

/// <summary>
/// The platform against the sandboxes, wired the way run.sh wires the demo tenants: a deal won in HubSpot
/// becomes a quote-to-cash flow, and a change in QuickBooks reaches accounting-sync through the gateway.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SandboxFlowTests(PlatformFixture platform)
{
    private static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string url, object? body = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(text);
    }

    [Fact]
    public async Task A_deal_won_in_hubspot_becomes_one_flow_with_its_customer()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = "hsflow-" + Guid.NewGuid().ToString("N")[..6];
        await platform.ConnectQuickBooksAsync(tenant); // customers reach QuickBooks before their deals move on
        using var hubspot = new HttpClient { BaseAddress = platform.HubSpot.BaseAddress };
        var portal = await SendAsync(hubspot, HttpMethod.Post, "/_sandbox/portals", new { name = tenant });
        var portalId = portal.GetProperty("portalId").ToString();
        var app = await SendAsync(hubspot, HttpMethod.Post, $"/_sandbox/portals/{portalId}/apps", new
        {
            name = "platform",
            targetUrl = new Uri(platform.Gateway.BaseAddress, $"/webhooks/hubspot/{tenant}").ToString(),
            subscriptions = new[] { "deal.creation", "deal.propertyChange:dealstage", "company.propertyChange:name" },
        });
        var tools = (await SendAsync(hubspot, HttpMethod.Post, $"/_sandbox/portals/{portalId}/tokens", new { name = "tools" })).GetProperty("accessToken").GetString();
        await SendAsync(platform.Client, HttpMethod.Put, $"/api/crm/{tenant}/connection", new
        {
            kind = "hubspot",
            baseUrl = platform.HubSpot.BaseAddress.ToString(),
            accessToken = app.GetProperty("accessToken").GetString(),
            clientSecret = app.GetProperty("clientSecret").GetString(),
            appId = app.GetProperty("appId").ToString(),
            portalId,
        }, platform.AdminToken);

        var company = await SendAsync(hubspot, HttpMethod.Post, "/crm/v3/objects/companies",
            new { properties = new { name = "Tailspin Toys Ltd", domain = "tailspin.test", address = "5 Quay St", city = "Bristol", country = "GB" } }, tools);
        var contact = await SendAsync(hubspot, HttpMethod.Post, "/crm/v3/objects/contacts", new { properties = new { email = "ap@tailspin.test", firstname = "Ivy" } }, tools);
        var deal = await SendAsync(hubspot, HttpMethod.Post, "/crm/v3/objects/deals", new
        {
            properties = new { dealname = "Tailspin launch", dealstage = "closedwon", pipeline = "default", amount = "7200", deal_currency_code = "GBP" },
            associations = new object[]
            {
                new { to = new { id = company.GetProperty("id").GetString() }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 5 } } },
                new { to = new { id = contact.GetProperty("id").GetString() }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 3 } } },
            },
        }, tools);
        var dealId = deal.GetProperty("id").GetString()!;

        JsonElement flow = default;
        var reached = await Eventually(async () =>
        {
            using var request = platform.Request(HttpMethod.Get, $"/api/billing/{tenant}/flows", platform.AdminToken);
            using var response = await platform.Client.SendAsync(request);
            var flows = await response.Content.ReadFromJsonAsync<List<JsonElement>>();
            flow = flows?.FirstOrDefault(f => f.GetProperty("externalDealId").GetString() == dealId) ?? default;
            return flow.ValueKind == JsonValueKind.Object && flow.GetProperty("currentState").GetString() == "HeldForMapping";
        }, TimeSpan.FromSeconds(45));

        Assert.True(reached, "the HubSpot deal did not become a flow held for its item mapping");
        Assert.Equal("hubspot", flow.GetProperty("sourceSystem").GetString());
        Assert.Equal("Tailspin Toys Ltd", flow.GetProperty("customerDisplayName").GetString());
        Assert.Equal(7200m, flow.GetProperty("amount").GetDecimal());
        var deliveries = await SendAsync(platform.Client, HttpMethod.Get, $"/api/crm/{tenant}/deliveries?objectId={dealId}", token: platform.AdminToken);
        var produced = deliveries.EnumerateArray().SelectMany(d => d.GetProperty("produced").EnumerateArray()).Select(p => p.GetProperty("type").GetString()).ToList();
        Assert.Equal(1, produced.Count(p => p == "DealWon")); // creation and stage events of one deal announce it once

        // Back to an open stage: reopened, once; won again: announced again.
        await SendAsync(hubspot, HttpMethod.Patch, $"/crm/v3/objects/deals/{dealId}", new { properties = new { dealstage = "contractsent" } }, tools);
        Assert.True(await ProducedAsync(tenant, dealId, "DealReopened", 1), "moving the won deal back to an open stage did not reopen it");
        await SendAsync(hubspot, HttpMethod.Patch, $"/crm/v3/objects/deals/{dealId}", new { properties = new { dealstage = "closedwon" } }, tools);
        Assert.True(await ProducedAsync(tenant, dealId, "DealWon", 2), "winning the reopened deal again did not announce it again");
    }

    private async Task<bool> ProducedAsync(string tenant, string objectId, string type, int count) =>
        await Eventually(async () =>
        {
            var deliveries = await SendAsync(platform.Client, HttpMethod.Get, $"/api/crm/{tenant}/deliveries?objectId={objectId}", token: platform.AdminToken);
            return deliveries.EnumerateArray().SelectMany(d => d.GetProperty("produced").EnumerateArray()).Count(p => p.GetProperty("type").GetString() == type) == count;
        }, TimeSpan.FromSeconds(30));

    [Fact]
    public async Task A_deal_won_in_a_custom_pipeline_gets_its_invoice_written_back_and_the_write_comes_back_as_an_echo()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = "wb-" + Guid.NewGuid().ToString("N")[..6];
        await platform.ConnectQuickBooksAsync(tenant); // customers reach QuickBooks before their deals move on
        using var hubspot = new HttpClient { BaseAddress = platform.HubSpot.BaseAddress };
        var portalId = (await SendAsync(hubspot, HttpMethod.Post, "/_sandbox/portals", new { name = tenant })).GetProperty("portalId").ToString();
        var target = new Uri(platform.Gateway.BaseAddress, $"/webhooks/hubspot/{tenant}").ToString();
        var app = await SendAsync(hubspot, HttpMethod.Post, $"/_sandbox/portals/{portalId}/apps",
            new { name = "platform", targetUrl = target, subscriptions = new[] { "deal.propertyChange:dealstage" } });
        var appId = app.GetProperty("appId").ToString();
        var tools = (await SendAsync(hubspot, HttpMethod.Post, $"/_sandbox/portals/{portalId}/tokens", new { name = "tools" })).GetProperty("accessToken").GetString();
        await SendAsync(platform.Client, HttpMethod.Put, $"/api/crm/{tenant}/connection", new
        {
            kind = "hubspot", baseUrl = platform.HubSpot.BaseAddress.ToString(), accessToken = app.GetProperty("accessToken").GetString(),
            clientSecret = app.GetProperty("clientSecret").GetString(), appId, portalId,
        }, platform.AdminToken);

        // A custom pipeline whose stages have numeric IDs: "won" is whatever its metadata says.
        var pipelines = await SendAsync(hubspot, HttpMethod.Get, "/crm/v3/pipelines/deals", token: tools);
        var custom = pipelines.GetProperty("results").EnumerateArray().First(p => p.GetProperty("id").GetString()!.All(char.IsAsciiDigit));
        var wonStage = custom.GetProperty("stages").EnumerateArray().First(st =>
            st.GetProperty("metadata").GetProperty("isClosed").ToString() == "true" && st.GetProperty("metadata").GetProperty("probability").ToString().StartsWith('1'));
        var openStage = custom.GetProperty("stages").EnumerateArray().First(st => st.GetProperty("metadata").GetProperty("isClosed").ToString() == "false");
        var company = await SendAsync(hubspot, HttpMethod.Post, "/crm/v3/objects/companies",
            new { properties = new { name = "Woodgrove Partners", address = "9 Bank St", city = "Leeds", country = "GB" } }, tools);
        var contact = await SendAsync(hubspot, HttpMethod.Post, "/crm/v3/objects/contacts", new { properties = new { email = "ap@woodgrove.test" } }, tools);
        var deal = await SendAsync(hubspot, HttpMethod.Post, "/crm/v3/objects/deals", new
        {
            properties = new { dealname = "Woodgrove retainer", dealstage = openStage.GetProperty("id").GetString(), pipeline = custom.GetProperty("id").GetString(), amount = "4800" },
            associations = new object[]
            {
                new { to = new { id = company.GetProperty("id").GetString() }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 5 } } },
                new { to = new { id = contact.GetProperty("id").GetString() }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 3 } } },
            },
        }, tools);
        var dealId = deal.GetProperty("id").GetString()!;
        await SendAsync(hubspot, HttpMethod.Patch, $"/crm/v3/objects/deals/{dealId}", new { properties = new { dealstage = wonStage.GetProperty("id").GetString() } }, tools);

        Guid flowId = default;
        Assert.True(await Eventually(async () =>
        {
            var flows = await SendAsync(platform.Client, HttpMethod.Get, $"/api/billing/{tenant}/flows", token: platform.AdminToken);
            var flow = flows.EnumerateArray().FirstOrDefault(f => f.GetProperty("externalDealId").GetString() == dealId);
            if (flow.ValueKind != JsonValueKind.Object || flow.GetProperty("currentState").GetString() != "HeldForMapping")
                return false;
            flowId = flow.GetProperty("flowId").GetGuid();
            return true;
        }, TimeSpan.FromSeconds(45)), "the deal won in the custom pipeline did not become a flow");

        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => MessagingExtensions.ConfigureHost(cfg, new Uri(TestEnvironment.RabbitMqUri!)));
        await bus.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var invoiceId = Guid.NewGuid();
            await bus.Publish(new InvoicePosted
            {
                TenantId = tenant, FlowId = flowId, InvoiceId = invoiceId, AccountingInvoiceId = "501", DocNumber = "1042", Total = 4800m, Balance = 4800m,
                PostedAt = DateTimeOffset.UtcNow,
            }, TestContext.Current.CancellationToken);
            Assert.True(await DealPropertyBecomesAsync(hubspot, tools!, dealId, "q2c_invoice_status", "Posted"), "InvoicePosted was not written back");
            var written = await SendAsync(hubspot, HttpMethod.Get, $"/crm/v3/objects/deals/{dealId}?properties=q2c_invoice_number,q2c_balance_due", token: tools);
            Assert.Equal("1042", written.GetProperty("properties").GetProperty("q2c_invoice_number").GetString());
            Assert.Equal(4800m, decimal.Parse(written.GetProperty("properties").GetProperty("q2c_balance_due").GetString()!, System.Globalization.CultureInfo.InvariantCulture));

            // Now that the property exists, let the app hear about it: our next write must come back as an echo, not as news.
            await SendAsync(hubspot, HttpMethod.Put, $"/_sandbox/portals/{portalId}/apps/{appId}",
                new { targetUrl = target, subscriptions = new[] { "deal.propertyChange:dealstage", "deal.propertyChange:q2c_invoice_status" } });
            await bus.Publish(new PaymentReceived
            {
                TenantId = tenant, FlowId = flowId, InvoiceId = invoiceId, AccountingPaymentId = "77", Amount = 1800m, RemainingBalance = 3000m, Currency = "GBP",
                ReceivedAt = DateTimeOffset.UtcNow,
            }, TestContext.Current.CancellationToken);
            Assert.True(await DealPropertyBecomesAsync(hubspot, tools!, dealId, "q2c_invoice_status", "Partially paid"), "the partial payment was not written back");
            Assert.True(await Eventually(async () =>
            {
                var deliveries = await SendAsync(platform.Client, HttpMethod.Get, $"/api/crm/{tenant}/deliveries?objectId={dealId}", token: platform.AdminToken);
                return deliveries.EnumerateArray().Any(d => d.GetProperty("echoes").GetInt32() > 0);
            }, TimeSpan.FromSeconds(30)), "the write-back's own webhook was not recognised as an echo");
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<bool> DealPropertyBecomesAsync(HttpClient hubspot, string token, string dealId, string property, string value) =>
        await Eventually(async () =>
        {
            var current = await SendAsync(hubspot, HttpMethod.Get, $"/crm/v3/objects/deals/{dealId}?properties={property}", token: token);
            return current.GetProperty("properties").TryGetProperty(property, out var v) && v.GetString() == value;
        }, TimeSpan.FromSeconds(45));

    [Fact]
    public async Task A_backfill_imports_existing_companies_and_deals_with_visible_progress_and_announces_the_won_ones()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = "backfill-" + Guid.NewGuid().ToString("N")[..6];
        await platform.ConnectQuickBooksAsync(tenant); // customers reach QuickBooks before their deals move on
        using var hubspot = new HttpClient { BaseAddress = platform.HubSpot.BaseAddress };
        var portalId = (await SendAsync(hubspot, HttpMethod.Post, "/_sandbox/portals", new { name = tenant })).GetProperty("portalId").ToString();
        // No target URL: these records exist before the platform is connected, so no webhook ever tells about them.
        var app = await SendAsync(hubspot, HttpMethod.Post, $"/_sandbox/portals/{portalId}/apps", new { name = "platform", targetUrl = (string?)null, subscriptions = Array.Empty<string>() });
        var tools = (await SendAsync(hubspot, HttpMethod.Post, $"/_sandbox/portals/{portalId}/tokens", new { name = "tools" })).GetProperty("accessToken").GetString();
        var won = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var company = await SendAsync(hubspot, HttpMethod.Post, "/crm/v3/objects/companies",
                new { properties = new { name = $"Backfill Customer {i}", address = $"{i} Main St", city = "Austin", country = "US" } }, tools);
            var contact = await SendAsync(hubspot, HttpMethod.Post, "/crm/v3/objects/contacts", new { properties = new { email = $"ap{i}@backfill.test" } }, tools);
            foreach (var stage in i == 0 ? new[] { "closedwon", "qualifiedtobuy" } : new[] { i == 1 ? "closedwon" : "appointmentscheduled" })
            {
                var deal = await SendAsync(hubspot, HttpMethod.Post, "/crm/v3/objects/deals", new
                {
                    properties = new { dealname = $"Backfill deal {i} {stage}", dealstage = stage, pipeline = "default", amount = "1000" },
                    associations = new object[]
                    {
                        new { to = new { id = company.GetProperty("id").GetString() }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 5 } } },
                        new { to = new { id = contact.GetProperty("id").GetString() }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 3 } } },
                    },
                }, tools);
                if (stage == "closedwon")
                    won.Add(deal.GetProperty("id").GetString()!);
            }
        }
        await SendAsync(platform.Client, HttpMethod.Put, $"/api/crm/{tenant}/connection", new
        {
            kind = "hubspot", baseUrl = platform.HubSpot.BaseAddress.ToString(), accessToken = app.GetProperty("accessToken").GetString(),
            clientSecret = app.GetProperty("clientSecret").GetString(), appId = app.GetProperty("appId").ToString(), portalId,
        }, platform.AdminToken);

        var started = await SendAsync(platform.Client, HttpMethod.Post, $"/api/crm/{tenant}/backfill", token: platform.AdminToken);
        Assert.Equal("Running", started.GetProperty("status").GetString());

        JsonElement progress = default;
        Assert.True(await Eventually(async () =>
        {
            progress = await SendAsync(platform.Client, HttpMethod.Get, $"/api/crm/{tenant}/backfill", token: platform.AdminToken);
            return progress.GetProperty("status").GetString() == "Completed";
        }, TimeSpan.FromSeconds(45)), $"the import did not complete: {progress}");
        Assert.Equal(7, progress.GetProperty("total").GetInt64()); // 3 companies and 4 deals
        Assert.Equal(7, progress.GetProperty("processed").GetInt64());
        Assert.Equal(100m, progress.GetProperty("percent").GetDecimal());

        Assert.True(await Eventually(async () =>
        {
            var flows = await SendAsync(platform.Client, HttpMethod.Get, $"/api/billing/{tenant}/flows", token: platform.AdminToken);
            return flows.EnumerateArray().Select(f => f.GetProperty("externalDealId").GetString()).Order().SequenceEqual(won.Order());
        }, TimeSpan.FromSeconds(45)), "exactly the won deals should have become flows");
    }

    [Fact]
    public async Task A_salesforce_backfill_imports_accounts_and_opportunities_and_announces_the_won_ones()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = "sfbf-" + Guid.NewGuid().ToString("N")[..6];
        await platform.ConnectQuickBooksAsync(tenant); // customers reach QuickBooks before their deals move on
        using var salesforce = new HttpClient { BaseAddress = platform.Salesforce.BaseAddress };
        var org = await SendAsync(salesforce, HttpMethod.Post, "/_sandbox/orgs", new { name = tenant });
        var orgId = org.GetProperty("orgId").GetString();
        var tools = (await SendAsync(salesforce, HttpMethod.Post, $"/_sandbox/orgs/{orgId}/tokens", new { name = "tools", integrationUser = false })).GetProperty("accessToken").GetString();
        var platformUser = await SendAsync(salesforce, HttpMethod.Post, $"/_sandbox/orgs/{orgId}/tokens", new { name = "platform", integrationUser = true });
        var won = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var account = await SendAsync(salesforce, HttpMethod.Post, "/services/data/v60.0/sobjects/Account",
                new { Name = $"Existing Customer {i}", BillingStreet = $"{i} Pine St", BillingCity = "Seattle", BillingCountry = "US" }, tools);
            var opportunity = await SendAsync(salesforce, HttpMethod.Post, "/services/data/v60.0/sobjects/Opportunity", new
            {
                Name = $"Existing deal {i}", StageName = i == 0 ? "Closed Won" : "Prospecting", CloseDate = "2026-12-31", Amount = 5000 + i,
                AccountId = account.GetProperty("id").GetString(),
            }, tools);
            if (i == 0)
                won.Add(opportunity.GetProperty("id").GetString()!);
        }
        await SendAsync(platform.Client, HttpMethod.Put, $"/api/crm/{tenant}/connection", new
        {
            kind = "salesforce", baseUrl = platform.Salesforce.BaseAddress.ToString(), accessToken = platformUser.GetProperty("accessToken").GetString(),
            organizationId = orgId, integrationUserId = platformUser.GetProperty("userId").GetString(),
        }, platform.AdminToken);

        await SendAsync(platform.Client, HttpMethod.Post, $"/api/crm/{tenant}/backfill", token: platform.AdminToken);

        JsonElement progress = default;
        Assert.True(await Eventually(async () =>
        {
            progress = await SendAsync(platform.Client, HttpMethod.Get, $"/api/crm/{tenant}/backfill", token: platform.AdminToken);
            return progress.GetProperty("status").GetString() == "Completed";
        }, TimeSpan.FromSeconds(45)), $"the Salesforce import did not complete: {progress}");
        Assert.Equal(4, progress.GetProperty("processed").GetInt64());
        Assert.Equal(100m, progress.GetProperty("percent").GetDecimal());
        Assert.True(await Eventually(async () =>
        {
            var flows = await SendAsync(platform.Client, HttpMethod.Get, $"/api/billing/{tenant}/flows", token: platform.AdminToken);
            return flows.EnumerateArray().Select(f => f.GetProperty("externalDealId").GetString()).SequenceEqual(won);
        }, TimeSpan.FromSeconds(45)), "exactly the won opportunity should have become a flow");
    }

    [Fact]
    public async Task A_won_salesforce_opportunity_gets_its_invoice_overdue_payment_and_account_standing_written_back_to_the_q2c_fields()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = "sfwb-" + Guid.NewGuid().ToString("N")[..6];
        await platform.ConnectQuickBooksAsync(tenant); // customers reach QuickBooks before their deals move on
        using var salesforce = new HttpClient { BaseAddress = platform.Salesforce.BaseAddress };
        var orgId = (await SendAsync(salesforce, HttpMethod.Post, "/_sandbox/orgs", new { name = tenant })).GetProperty("orgId").GetString();
        var tools = (await SendAsync(salesforce, HttpMethod.Post, $"/_sandbox/orgs/{orgId}/tokens", new { name = "tools", integrationUser = false })).GetProperty("accessToken").GetString();
        var platformUser = await SendAsync(salesforce, HttpMethod.Post, $"/_sandbox/orgs/{orgId}/tokens", new { name = "platform", integrationUser = true });
        var account = await SendAsync(salesforce, HttpMethod.Post, "/services/data/v60.0/sobjects/Account",
            new { Name = "Fabrikam Legal", BillingStreet = "4 Quay St", BillingCity = "Bristol", BillingCountry = "GB" }, tools);
        var opportunityId = (await SendAsync(salesforce, HttpMethod.Post, "/services/data/v60.0/sobjects/Opportunity", new
        {
            Name = "Fabrikam discovery", StageName = "Closed Won", CloseDate = "2026-11-30", Amount = 7200, AccountId = account.GetProperty("id").GetString(),
        }, tools)).GetProperty("id").GetString()!;
        await SendAsync(platform.Client, HttpMethod.Put, $"/api/crm/{tenant}/connection", new
        {
            kind = "salesforce", baseUrl = platform.Salesforce.BaseAddress.ToString(), accessToken = platformUser.GetProperty("accessToken").GetString(),
            organizationId = orgId, integrationUserId = platformUser.GetProperty("userId").GetString(),
        }, platform.AdminToken);
        await SendAsync(platform.Client, HttpMethod.Post, $"/api/crm/{tenant}/backfill", token: platform.AdminToken);

        Guid flowId = default;
        Assert.True(await Eventually(async () =>
        {
            var flows = await SendAsync(platform.Client, HttpMethod.Get, $"/api/billing/{tenant}/flows", token: platform.AdminToken);
            var flow = flows.EnumerateArray().FirstOrDefault(f => f.GetProperty("externalDealId").GetString() == opportunityId);
            if (flow.ValueKind != JsonValueKind.Object)
                return false;
            flowId = flow.GetProperty("flowId").GetGuid();
            return true;
        }, TimeSpan.FromSeconds(45)), "the won opportunity did not become a flow");

        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => MessagingExtensions.ConfigureHost(cfg, new Uri(TestEnvironment.RabbitMqUri!)));
        await bus.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var invoiceId = Guid.NewGuid();
            await bus.Publish(new InvoicePosted
            {
                TenantId = tenant, FlowId = flowId, InvoiceId = invoiceId, AccountingInvoiceId = "601", DocNumber = "2077", Total = 7200m, Balance = 7200m,
                PostedAt = DateTimeOffset.UtcNow,
            }, TestContext.Current.CancellationToken);
            const string fields = "Q2C_Invoice_Number__c,Q2C_Invoice_Status__c,Q2C_Balance_Due__c,Q2C_Paid_Date__c";
            JsonElement opportunity = default;
            Assert.True(await Eventually(async () =>
            {
                if (await ReadIfDeclaredAsync(salesforce, tools!, $"Opportunity/{opportunityId}?fields={fields}") is not { } read)
                    return false;
                opportunity = read;
                return opportunity.TryGetProperty("Q2C_Invoice_Status__c", out var status) && status.GetString() == "Posted";
            }, TimeSpan.FromSeconds(45)), $"InvoicePosted was not written back to the opportunity: {opportunity}");
            Assert.Equal("2077", opportunity.GetProperty("Q2C_Invoice_Number__c").GetString());
            Assert.Equal(7200m, opportunity.GetProperty("Q2C_Balance_Due__c").GetDecimal());

            await bus.Publish(new InvoiceStatusChanged
            {
                TenantId = tenant, FlowId = flowId, InvoiceId = invoiceId, DocNumber = "2077", Status = "Overdue", BalanceDue = 7200m, ChangedAt = DateTimeOffset.UtcNow,
            }, TestContext.Current.CancellationToken);
            await bus.Publish(new AccountStandingChanged
            {
                TenantId = tenant, CustomerId = Guid.NewGuid(), CrmCompanyRef = "salesforce:" + account.GetProperty("id").GetString(), Standing = "Past due 30+", ChangedAt = DateTimeOffset.UtcNow,
            }, TestContext.Current.CancellationToken);
            Assert.True(await Eventually(async () =>
            {
                opportunity = await SendAsync(salesforce, HttpMethod.Get, $"/services/data/v60.0/sobjects/Opportunity/{opportunityId}?fields={fields}", token: tools);
                return opportunity.GetProperty("Q2C_Invoice_Status__c").GetString() == "Overdue";
            }, TimeSpan.FromSeconds(45)), $"Overdue was not written back: {opportunity}");
            JsonElement standing = default;
            Assert.True(await Eventually(async () =>
            {
                if (await ReadIfDeclaredAsync(salesforce, tools!, $"Account/{account.GetProperty("id").GetString()}?fields=Q2C_Account_Standing__c") is not { } read)
                    return false;
                standing = read;
                return standing.GetProperty("Q2C_Account_Standing__c").GetString() == "Past due 30+";
            }, TimeSpan.FromSeconds(45)), $"the account standing was not written back: {standing}");

            var paidAt = DateTimeOffset.UtcNow; // later than the posting: an older event never overwrites a newer status
            await bus.Publish(new PaymentReceived
            {
                TenantId = tenant, FlowId = flowId, InvoiceId = invoiceId, AccountingPaymentId = "88", Amount = 7200m, RemainingBalance = 0m, Currency = "GBP",
                ReceivedAt = paidAt,
            }, TestContext.Current.CancellationToken);
            Assert.True(await Eventually(async () =>
            {
                opportunity = await SendAsync(salesforce, HttpMethod.Get, $"/services/data/v60.0/sobjects/Opportunity/{opportunityId}?fields={fields}", token: tools);
                return opportunity.GetProperty("Q2C_Invoice_Status__c").GetString() == "Paid";
            }, TimeSpan.FromSeconds(45)), $"the payment was not written back: {opportunity}");
            Assert.Equal(0m, opportunity.GetProperty("Q2C_Balance_Due__c").GetDecimal());
            Assert.Equal(paidAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), opportunity.GetProperty("Q2C_Paid_Date__c").GetString());
            Assert.Equal("2077", opportunity.GetProperty("Q2C_Invoice_Number__c").GetString());
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>An sObject read, or null while Salesforce answers 400 INVALID_FIELD because the write-back has not declared the fields yet.</summary>
    private static async Task<JsonElement?> ReadIfDeclaredAsync(HttpClient salesforce, string token, string sObjectPath)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/services/data/v60.0/sobjects/" + sObjectPath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await salesforce.SendAsync(request);
        return response.IsSuccessStatusCode ? JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync()) : null;
    }

    [Fact]
    public async Task A_change_in_quickbooks_reaches_accounting_sync_through_the_gateway_with_a_valid_signature()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = "qbflow-" + Guid.NewGuid().ToString("N")[..6];
        using var quickbooks = new HttpClient { BaseAddress = platform.QuickBooks.BaseAddress };
        var company = await platform.ConnectQuickBooksAsync(tenant);
        var realm = company.RealmId;

        using var create = new HttpRequestMessage(HttpMethod.Post, $"/v3/company/{realm}/customer?minorversion=75")
        {
            Content = new StringContent("""{"DisplayName":"Webhook Customer"}""", Encoding.UTF8, "application/json"),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", company.AccessToken);
        create.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        (await quickbooks.SendAsync(create, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();

        var delivered = await Eventually(async () =>
        {
            var attempts = JsonSerializer.Deserialize<JsonElement>(await quickbooks.GetStringAsync("/_sandbox/webhooks/deliveries"));
            var list = attempts.ValueKind == JsonValueKind.Array ? attempts : attempts.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Array).Value;
            return list.EnumerateArray().Any(a => a.ToString().Contains(realm, StringComparison.Ordinal) && a.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number && s.GetInt32() == 200);
        }, TimeSpan.FromSeconds(30));

        Assert.True(delivered, "QuickBooks' webhook was not acknowledged with 200 by the platform");
    }
}
