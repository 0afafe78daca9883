using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace QuoteToCash.Testing.Platform;

/// <summary>A product of the firm's catalogue: in the CRM (its ID there) and the QuickBooks item it is billed as.</summary>
public sealed record CatalogueProduct(string Sku, string Name, decimal UnitPrice, string CrmProductId, string ItemName, string ItemRef);

/// <summary>What a tenant is connected to.</summary>
public enum TenantCrm
{
    /// <summary>Only QuickBooks: deals arrive through the gateway's generic deals API.</summary>
    None,
    HubSpot,
    Salesforce,
}

/// <summary>
/// A tenant set up the way scripts/configure-demo.py sets up run.sh's demo tenants, only through the gateway's APIs and
/// the sandboxes' own: a QuickBooks company of its own connected through the connection API (and a second "tools" app
/// for reading it as finance would), the CRM connected (a HubSpot app with webhooks, or a Salesforce org with an
/// Outbound Message on opportunities), the firm's catalogue in the CRM mapped in master data to the QuickBooks items
/// of the same name, and "Services" as the default item unless the caller wants unmapped products to stop.
/// </summary>
public sealed class PlatformTenant
{
    /// <summary>The firm's catalogue: (SKU, name, unit price, QuickBooks item it is billed as), as in configure-demo.py.</summary>
    public static readonly (string Sku, string Name, decimal Price, string Item)[] Catalogue =
    [
        ("CONSULT-HOUR", "Consulting hour", 150m, "Consulting"),
        ("SENIOR-HOUR", "Senior consulting hour", 210m, "Senior Consulting"),
        ("IMPL-HOUR", "Implementation hour", 175m, "Implementation"),
        ("PM-HOUR", "Project management hour", 160m, "Project Management"),
    ];

    private PlatformTenant(string id, PlatformEndpoints endpoints, HttpClient gateway, QuickBooksRealm books)
    {
        Id = id;
        Endpoints = endpoints;
        Gateway = gateway;
        Books = books;
    }

    public string Id { get; }

    public PlatformEndpoints Endpoints { get; }

    /// <summary>A client of the gateway (base address set); calls carry the admin token through <see cref="ApiAsync"/>.</summary>
    public HttpClient Gateway { get; }

    public QuickBooksRealm Books { get; }

    public HubSpotPortal? HubSpot { get; private set; }

    public SalesforceOrg? Salesforce { get; private set; }

    public IReadOnlyList<CatalogueProduct> Products { get; private set; } = [];

    /// <summary>QuickBooks item IDs by name.</summary>
    public IReadOnlyDictionary<string, string> Items { get; private set; } = new Dictionary<string, string>();

    /// <summary>A call to the platform's API through the gateway as the admin.</summary>
    public Task<JsonAnswer> ApiAsync(HttpMethod method, string path, object? body = null) =>
        JsonHttp.SendAsync(Gateway, method, path, body, Endpoints.AdminToken);

    /// <param name="defaultItem">Whether lines without a mapped product bill as "Services" (run.sh's demo does); false lets an unmapped product stop the deal.</param>
    /// <param name="hubSpotSubscriptions">The HubSpot app's webhook subscriptions; empty when the caller sends the webhooks itself.</param>
    public static async Task<PlatformTenant> CreateAsync(PlatformEndpoints endpoints, string tenant, TenantCrm crm, bool defaultItem = true,
        IReadOnlyList<string>? hubSpotSubscriptions = null)
    {
        var gateway = new HttpClient { BaseAddress = endpoints.Gateway, Timeout = TimeSpan.FromSeconds(60) };
        var qbo = new HttpClient { BaseAddress = endpoints.QuickBooks, Timeout = TimeSpan.FromSeconds(60) };
        var books = await ConnectQuickBooksAsync(endpoints, gateway, qbo, tenant);
        var created = new PlatformTenant(tenant, endpoints, gateway, books);
        created.Items = await books.ItemsAsync();
        var products = new List<(string Sku, string Name, decimal Price, string Item, string CrmId)>();
        if (crm == TenantCrm.HubSpot)
        {
            created.HubSpot = await HubSpotPortal.ConnectAsync(endpoints, gateway, tenant,
                hubSpotSubscriptions ?? ["deal.creation", "deal.propertyChange:dealstage", "deal.propertyChange:amount"]);
            foreach (var (sku, name, price, item) in Catalogue)
                products.Add((sku, name, price, item, await created.HubSpot.CreateProductAsync(sku, name, price)));
        }
        else if (crm == TenantCrm.Salesforce)
        {
            created.Salesforce = await SalesforceOrg.ConnectAsync(endpoints, gateway, tenant);
            foreach (var (sku, name, price, item) in Catalogue)
                products.Add((sku, name, price, item, await created.Salesforce.CreateProductAsync(sku, name, price)));
        }
        created.Products = products.Select(p => new CatalogueProduct(p.Sku, p.Name, p.Price, p.CrmId, p.Item, created.Items[p.Item])).ToList();
        if (created.Products.Count > 0)
            await created.UntilAcceptedAsync(HttpMethod.Put, $"/api/master-data/{tenant}/item-mappings",
                created.Products.Select(p => new { crmProductId = p.CrmProductId, productName = p.Name, itemRef = p.ItemRef }).ToArray());
        if (defaultItem)
            await created.UntilAcceptedAsync(HttpMethod.Put, $"/api/master-data/{tenant}/policy", new { defaultItemRef = created.Items["Services"] });
        return created;
    }

    /// <summary>
    /// Master data refuses item references until accounting-sync has reported the QuickBooks lists after the connection
    /// (409 while none arrived, 400 while the arrived ones are older than the reference): calls again until accepted.
    /// </summary>
    public async Task<JsonElement> UntilAcceptedAsync(HttpMethod method, string path, object body, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var answer = await ApiAsync(method, path, body);
            if (answer.Ok || answer.Status is not (HttpStatusCode.Conflict or HttpStatusCode.BadRequest) || DateTime.UtcNow > deadline)
                return answer.Success($"{method} {path}");
            await Task.Delay(500);
        }
    }

    private static async Task<QuickBooksRealm> ConnectQuickBooksAsync(PlatformEndpoints endpoints, HttpClient gateway, HttpClient qbo, string tenant)
    {
        var realm = (await JsonHttp.CallAsync(qbo, HttpMethod.Post, "/_sandbox/realms", new { name = tenant })).GetProperty("realmId").GetString()!;
        var platformApp = await JsonHttp.CallAsync(qbo, HttpMethod.Post, "/_sandbox/apps", new
        {
            name = "platform-" + tenant, webhookUrl = new Uri(endpoints.Gateway, "/webhooks/quickbooks").ToString(), webhookFormat = "legacy",
        });
        var toolsApp = await JsonHttp.CallAsync(qbo, HttpMethod.Post, "/_sandbox/apps", new { name = "tools-" + tenant, webhookUrl = (string?)null, webhookFormat = "legacy" });
        var platformGrant = await JsonHttp.CallAsync(qbo, HttpMethod.Post, $"/_sandbox/realms/{realm}/connections",
            new { clientId = platformApp.GetProperty("clientId").GetString(), redirectUri = "http://localhost/callback" });
        var toolsGrant = await JsonHttp.CallAsync(qbo, HttpMethod.Post, $"/_sandbox/realms/{realm}/connections",
            new { clientId = toolsApp.GetProperty("clientId").GetString(), redirectUri = "http://localhost/callback" });
        await JsonHttp.CallAsync(gateway, HttpMethod.Put, $"/api/accounting/{tenant}/connection", new
        {
            environment = "sandbox",
            baseUrl = endpoints.QuickBooks.ToString(),
            tokenUrl = new Uri(endpoints.QuickBooks, "/oauth2/v1/tokens/bearer").ToString(),
            realmId = realm,
            clientId = platformApp.GetProperty("clientId").GetString(),
            clientSecret = platformApp.GetProperty("clientSecret").GetString(),
            refreshToken = platformGrant.GetProperty("refreshToken").GetString(),
            verifierToken = platformApp.GetProperty("verifierToken").GetString(),
        }, endpoints.AdminToken);
        return new QuickBooksRealm(qbo, realm, toolsGrant.GetProperty("accessToken").GetString()!);
    }

    /// <summary>
    /// A deal won through the gateway's generic deals API (as an iPaaS would send it), billed on signing: one invoice of
    /// the lines' total. Returns the flow ID.
    /// </summary>
    public async Task<string> GenericDealAsync(string dealId, GenericCustomer customer, IReadOnlyList<(string Description, decimal Quantity, decimal UnitPrice)> lines)
    {
        var body = new
        {
            externalDealId = dealId,
            dealName = "Deal " + dealId,
            currency = "USD",
            paymentTerms = "Net 30",
            customer = new
            {
                externalId = customer.ExternalId,
                legalName = customer.LegalName,
                billingAddress = new { line1 = customer.Street, city = "Denver", region = "CO", postalCode = "80202", country = "US" },
                contacts = new[] { new { email = customer.Email, isBillingContact = true } },
            },
            lines = lines.Select(l => new { description = l.Description, quantity = l.Quantity, unitPrice = l.UnitPrice }).ToArray(),
        };
        // As a CRM or iPaaS does, a delivery that met a server error (or no answer) is sent again; the platform takes a repeat as a duplicate.
        for (var attempt = 1; ; attempt++)
        {
            JsonAnswer answer;
            try
            {
                answer = await ApiAsync(HttpMethod.Post, $"/api/crm/{Id}/deals", body);
            }
            catch (HttpRequestException) when (attempt < 30)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                continue;
            }
            if ((int)answer.Status >= 500 && attempt < 30)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                continue;
            }
            return answer.Success("POST deals").GetProperty("flowId").GetString()!;
        }
    }

    /// <summary>The billing flows of the tenant (newest change first).</summary>
    public async Task<List<JsonElement>> FlowsAsync(int limit = 1000) =>
        (await ApiAsync(HttpMethod.Get, $"/api/billing/{Id}/flows?limit={limit}")).Success("GET flows").EnumerateArray().ToList();

    public async Task<JsonElement> FlowAsync(string flowId) =>
        (await ApiAsync(HttpMethod.Get, $"/api/billing/{Id}/flows/{flowId}")).Success("GET flow");

    public static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}

/// <summary>A customer as the generic deals API takes it.</summary>
public sealed record GenericCustomer(string ExternalId, string LegalName, string Street, string Email);

/// <summary>A HubSpot portal in the sandbox with the platform's app installed and a private-app token for acting as the sales team.</summary>
public sealed class HubSpotPortal(HttpClient http, string portalId, string toolsToken, string appId, string clientSecret)
{
    public HttpClient Http { get; } = http;

    public string PortalId { get; } = portalId;

    public string ToolsToken { get; } = toolsToken;

    public string AppId { get; } = appId;

    /// <summary>The app's client secret: what HubSpot signs webhooks with.</summary>
    public string ClientSecret { get; } = clientSecret;

    public static async Task<HubSpotPortal> ConnectAsync(PlatformEndpoints endpoints, HttpClient gateway, string tenant, IReadOnlyList<string> subscriptions)
    {
        var http = new HttpClient { BaseAddress = endpoints.HubSpot, Timeout = TimeSpan.FromSeconds(60) };
        var portalId = (await JsonHttp.CallAsync(http, HttpMethod.Post, "/_sandbox/portals", new { name = tenant })).GetProperty("portalId").ToString();
        var app = await JsonHttp.CallAsync(http, HttpMethod.Post, $"/_sandbox/portals/{portalId}/apps", new
        {
            name = "platform",
            targetUrl = new Uri(endpoints.Gateway, $"/webhooks/hubspot/{tenant}").ToString(),
            subscriptions,
        });
        var tools = (await JsonHttp.CallAsync(http, HttpMethod.Post, $"/_sandbox/portals/{portalId}/tokens", new { name = "tools" })).GetProperty("accessToken").GetString()!;
        await JsonHttp.CallAsync(gateway, HttpMethod.Put, $"/api/crm/{tenant}/connection", new
        {
            kind = "hubspot", baseUrl = endpoints.HubSpot.ToString(), accessToken = app.GetProperty("accessToken").GetString(),
            clientSecret = app.GetProperty("clientSecret").GetString(), appId = app.GetProperty("appId").ToString(), portalId,
        }, endpoints.AdminToken);
        return new HubSpotPortal(http, portalId, tools, app.GetProperty("appId").ToString(), app.GetProperty("clientSecret").GetString()!);
    }

    public async Task<JsonElement> CallAsync(HttpMethod method, string path, object? body = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var answer = await JsonHttp.SendAsync(Http, method, path, body, ToolsToken);
            if (answer.Status == HttpStatusCode.TooManyRequests && attempt < 60)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                continue;
            }
            return answer.Success($"HubSpot {method} {path}");
        }
    }

    public async Task<string> CreateProductAsync(string sku, string name, decimal price) =>
        (await CallAsync(HttpMethod.Post, "/crm/v3/objects/products",
            new { properties = new { name, hs_sku = sku, price = price.ToString(CultureInfo.InvariantCulture) } })).GetProperty("id").GetString()!;

    public async Task<string> CreateCompanyAsync(string name, string street = "5 Quay St") =>
        (await CallAsync(HttpMethod.Post, "/crm/v3/objects/companies",
            new { properties = new { name, address = street, city = "Portland", state = "OR", zip = "97201", country = "US" } })).GetProperty("id").GetString()!;

    /// <summary>
    /// A deal as a salesperson builds it: open, associated with the company and a billing contact, its line items
    /// added; then moved to closed-won (unless <paramref name="win"/> is false), which sends the won webhook. Returns the deal ID.
    /// </summary>
    public async Task<string> DealAsync(string companyId, string contactEmail, string name,
        IReadOnlyList<(CatalogueProduct Product, decimal Quantity)> lines, bool win = true, IReadOnlyDictionary<string, string>? properties = null)
    {
        var contact = (await CallAsync(HttpMethod.Post, "/crm/v3/objects/contacts",
            new { properties = new { email = contactEmail, firstname = "Ivy" } })).GetProperty("id").GetString();
        var dealProperties = new Dictionary<string, string>
        {
            ["dealname"] = name, ["dealstage"] = "contractsent", ["pipeline"] = "default", ["deal_currency_code"] = "USD",
            ["amount"] = lines.Sum(l => l.Quantity * l.Product.UnitPrice).ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in properties ?? new Dictionary<string, string>())
            dealProperties[key] = value;
        var dealId = (await CallAsync(HttpMethod.Post, "/crm/v3/objects/deals", new
        {
            properties = dealProperties,
            associations = new object[]
            {
                new { to = new { id = companyId }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 5 } } },
                new { to = new { id = contact }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 3 } } },
            },
        })).GetProperty("id").GetString()!;
        foreach (var (product, quantity) in lines)
        {
            await CallAsync(HttpMethod.Post, "/crm/v3/objects/line_items", new
            {
                properties = new
                {
                    hs_product_id = product.CrmProductId, name = product.Name, quantity = quantity.ToString(CultureInfo.InvariantCulture),
                    price = product.UnitPrice.ToString(CultureInfo.InvariantCulture),
                },
                associations = new[] { new { to = new { id = dealId }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 20 } } } },
            });
        }
        if (win)
            await WinAsync(dealId);
        return dealId;
    }

    public Task WinAsync(string dealId) =>
        CallAsync(HttpMethod.Patch, $"/crm/v3/objects/deals/{dealId}", new { properties = new { dealstage = "closedwon" } });

    /// <summary>An object's properties as HubSpot shows them (deals, companies).</summary>
    public async Task<JsonElement> PropertiesAsync(string objectType, string id, params string[] names) =>
        (await CallAsync(HttpMethod.Get, $"/crm/v3/objects/{objectType}/{id}?properties={string.Join(',', names)}")).GetProperty("properties");
}

/// <summary>A Salesforce org in the sandbox: the platform connected with an integration user, an Outbound Message on won opportunities.</summary>
public sealed class SalesforceOrg(HttpClient rest, string orgId, string toolsToken)
{
    /// <summary>The org's REST API (services/data/v60.0/).</summary>
    public HttpClient Rest { get; } = rest;

    public string OrgId { get; } = orgId;

    public string ToolsToken { get; } = toolsToken;

    public static async Task<SalesforceOrg> ConnectAsync(PlatformEndpoints endpoints, HttpClient gateway, string tenant)
    {
        using var salesforce = new HttpClient { BaseAddress = endpoints.Salesforce };
        var org = await JsonHttp.CallAsync(salesforce, HttpMethod.Post, "/_sandbox/orgs", new { name = tenant });
        var orgId = org.GetProperty("orgId").GetString()!;
        var tools = (await JsonHttp.CallAsync(salesforce, HttpMethod.Post, $"/_sandbox/orgs/{orgId}/tokens", new { name = "tools", integrationUser = false }))
            .GetProperty("accessToken").GetString()!;
        var integration = await JsonHttp.CallAsync(salesforce, HttpMethod.Post, $"/_sandbox/orgs/{orgId}/tokens", new { name = "platform", integrationUser = true });
        var instance = org.TryGetProperty("instanceUrl", out var url) && url.GetString() is { Length: > 0 } u ? u.TrimEnd('/') : endpoints.Salesforce.ToString().TrimEnd('/');
        // The Outbound Message URL, with its endpoint token, is shown once: in the answer that connected the org.
        var connection = await JsonHttp.CallAsync(gateway, HttpMethod.Put, $"/api/crm/{tenant}/connection", new
        {
            kind = "salesforce", baseUrl = instance, accessToken = integration.GetProperty("accessToken").GetString(), organizationId = orgId,
            integrationUserId = integration.GetProperty("userId").GetString(),
        }, endpoints.AdminToken);
        await JsonHttp.CallAsync(salesforce, HttpMethod.Post, $"/_sandbox/orgs/{orgId}/outbound-messages", new
        {
            name = "OpportunityWon",
            endpointUrl = new Uri(endpoints.Gateway, connection.GetProperty("outboundMessageUrl").GetString()).ToString(),
            fields = new[] { "Id", "Name", "StageName", "Amount", "AccountId", "CloseDate", "IsWon" },
        });
        return new SalesforceOrg(new HttpClient { BaseAddress = new Uri(instance + "/services/data/v60.0/"), Timeout = TimeSpan.FromSeconds(60) }, orgId, tools);
    }

    public Task<JsonElement> CallAsync(HttpMethod method, string path, object? body = null) => JsonHttp.CallAsync(Rest, method, path, body, ToolsToken);

    private string? _standardBook;

    /// <summary>A product in the standard price book; returns the Product2 ID.</summary>
    public async Task<string> CreateProductAsync(string sku, string name, decimal price)
    {
        _standardBook ??= (await CallAsync(HttpMethod.Get, "query?q=" + Uri.EscapeDataString("SELECT Id FROM Pricebook2 WHERE IsStandard = true")))
            .GetProperty("records")[0].GetProperty("Id").GetString();
        var productId = (await CallAsync(HttpMethod.Post, "sobjects/Product2", new { Name = name, ProductCode = sku, IsActive = true })).GetProperty("id").GetString()!;
        await CallAsync(HttpMethod.Post, "sobjects/PricebookEntry", new { Pricebook2Id = _standardBook, Product2Id = productId, UnitPrice = price, IsActive = true });
        return productId;
    }

    /// <summary>An account with a billing contact and an opportunity with amount only (no products), moved to Closed Won. Returns the opportunity ID.</summary>
    public async Task<string> WonOpportunityAsync(string accountName, string contactEmail, string name, decimal amount)
    {
        var accountId = (await CallAsync(HttpMethod.Post, "sobjects/Account", new
        {
            Name = accountName, BillingStreet = "1 Harbour Road", BillingCity = "Seattle", BillingState = "WA", BillingPostalCode = "98101", BillingCountry = "US",
        })).GetProperty("id").GetString();
        await CallAsync(HttpMethod.Post, "sobjects/Contact", new { AccountId = accountId, FirstName = "Liam", LastName = "Walsh", Email = contactEmail });
        var opportunityId = (await CallAsync(HttpMethod.Post, "sobjects/Opportunity", new
        {
            Name = name, AccountId = accountId, StageName = "Negotiation/Review", CloseDate = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Amount = amount,
        })).GetProperty("id").GetString()!;
        await CallAsync(new HttpMethod("PATCH"), $"sobjects/Opportunity/{opportunityId}", new { StageName = "Closed Won" });
        return opportunityId;
    }
}
