using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using QuoteToCash.EndToEnd.Tests.Infrastructure;
using QuoteToCash.Testing.Platform;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.EndToEnd.Tests.Browser;

/// <summary>
/// The finance web app in a real browser (Debian's Chromium) against the whole running platform, through the gateway's
/// "/": sign in and see the dashboard with data; work an exception from open to resolved; merge a duplicate customer
/// side by side; see an SoD refusal and approve an invoice as another finance manager. Every page passes axe with no
/// serious or critical violation. Screenshots land in artifacts/test-results/screenshots.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class FinanceWebAppTests(PlatformFixture platform) : IAsyncLifetime
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static Scenario? _scenario;
    private Chromium? _chromium;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Two tenants with data: one whose deals wait for mapping and a duplicate decision, one with an invoice above the approval limit.</summary>
    private sealed record Scenario(string MasterDataTenant, string DuplicateFlowId, string SurvivorId, string ApprovalTenant, string ApprovalFlowId);

    public async ValueTask InitializeAsync()
    {
        TestEnvironment.RequireRabbitMq();
        _chromium = await Chromium.LaunchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_chromium is not null)
            await _chromium.DisposeAsync();
    }

    private async Task<Scenario> ScenarioAsync()
    {
        await Once.WaitAsync(Ct);
        try
        {
            return _scenario ??= await SetUpAsync();
        }
        finally
        {
            Once.Release();
        }
    }

    private async Task<Scenario> SetUpAsync()
    {
        // Tenant 1: QuickBooks connected, no item mapped and no default item, so deals stop for mapping (a sync exception);
        // a second CRM record of the same company (same tax ID) is a potential duplicate.
        var md = "web-md-" + Guid.NewGuid().ToString("N")[..6];
        await platform.ConnectQuickBooksAsync(md);
        var first = await PostDealAsync(md, Deal("W-1", "C-1", "Fabrikam Design Ltd", 3_600m));
        var survivor = (await FlowAsync(md, first, f => f.GetProperty("currentState").GetString() == "HeldForMapping")).GetProperty("customerId").GetString()!;
        var second = await PostDealAsync(md, Deal("W-2", "C-2", "Fabrikam Design Limited", 1_800m));
        await FlowAsync(md, second, f => f.GetProperty("currentState").GetString() == "CustomerOnHold");

        // Tenant 2: a catalogue and a default item; invoices above 10,000 wait for a finance manager. Maria owns the big deal.
        var ap = "web-ap-" + Guid.NewGuid().ToString("N")[..6];
        var tenant = await PlatformTenant.CreateAsync(platform.Endpoints(), ap, TenantCrm.None, defaultItem: true);
        (await tenant.ApiAsync(HttpMethod.Put, $"/api/billing/{ap}/policy",
            new { approval = new { maxDiscountPercent = 10m, maxNetDays = 30, maxAmount = 10_000m, manualLinesNeedApproval = true, slaHours = 24 } })).Success("PUT policy");
        await tenant.GenericDealAsync("S-1", new GenericCustomer("acct-s", "Tailspin Toys Ltd", "4 Dock Road", "ap@tailspin.test"),
            [("Discovery workshop", 2m, 1_500m)]);
        var big = await PostDealAsync(ap, new
        {
            externalDealId = "BIG-1", dealName = "Big implementation", currency = "USD", ownerEmail = "maria", paymentTerms = "Net 30",
            customer = new
            {
                externalId = "acct-9", legalName = "Contoso Pharma Inc",
                billingAddress = new { line1 = "1 Main St", city = "Boston", region = "MA", postalCode = "02110", country = "US" },
                contacts = new[] { new { email = "ap@contoso-pharma.test", isBillingContact = true } },
            },
            lines = new[] { new { description = "Implementation", quantity = 1m, unitPrice = 25_000m } },
        });
        await FlowAsync(ap, big, f => f.GetProperty("currentState").GetString() == "AwaitingApproval");
        return new Scenario(md, second, survivor, ap, big);
    }

    [Fact]
    public async Task A_finance_manager_signs_in_and_sees_the_dashboard_with_data()
    {
        var scenario = await ScenarioAsync();
        var page = await _chromium!.NewPageAsync(platform.Gateway.BaseAddress);
        await page.GotoAsync("/");
        Assert.Contains("/app/sign-in", page.Url, StringComparison.Ordinal); // no session: the gateway's "/" asks for a sign-in
        await Chromium.AssertAccessibleAsync(page, "sign-in");
        await Chromium.SignInAsync(page, "omar", platform.AdminPassword);

        // The KPIs come from reporting's read models, fed by events: wait until the deals won show as bookings.
        var bookings = page.Locator(".tile", new() { HasText = "Bookings vs billings" }).Locator(".figure");
        Assert.True(await Eventually(async () =>
        {
            await page.GotoAsync($"/app/{scenario.ApprovalTenant}");
            return await page.Locator("text=Bookings vs billings").CountAsync() > 0
                   && await page.Locator("tr:has(th:text-is('Bookings')) td").First.TextContentAsync() is { } cell && cell.Trim() is not ("0" or "–" or "");
        }, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(3)), "the dashboard never showed the tenant's bookings: " + await page.Locator("main").InnerTextAsync());

        Assert.Equal(0, await page.Locator("text=No data yet").CountAsync());
        foreach (var chart in new[] { "Invoice cycle time, won to sent", "Receivables aging", "Days sales outstanding", "Pipeline to cash" })
        {
            Assert.Equal(1, await page.Locator($"svg[role=img]:has(title:text-is('{chart}'))").CountAsync());
            Assert.Equal(1, await page.Locator($"table caption:text-is('{chart}: the data')").CountAsync());
        }
        await Chromium.ScreenshotAsync(page, "dashboard");
        await Chromium.AssertAccessibleAsync(page, "the dashboard");

        // Each chart's CSV export answers with the data.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download the data as CSV (Pipeline to cash)" }).ClickAsync());
        var csv = await File.ReadAllTextAsync(await download.PathAsync(), Ct);
        Assert.Contains(",", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_billing_exception_is_worked_from_open_to_resolved()
    {
        var scenario = await ScenarioAsync();
        var tenant = scenario.MasterDataTenant;
        var page = await _chromium!.NewPageAsync(platform.Gateway.BaseAddress);
        await Chromium.SignInAsync(page, "admin", platform.AdminPassword);

        var row = page.Locator("table.data tbody tr").First;
        Assert.True(await Eventually(async () =>
        {
            await page.GotoAsync($"/app/{tenant}/exceptions?status=Open");
            return await page.Locator("table.data tbody tr").CountAsync() > 0;
        }, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(2)), "no open exception in the queue: " + await page.Locator("main").InnerTextAsync());
        await Chromium.AssertAccessibleAsync(page, "the exception queue");
        await Chromium.ScreenshotAsync(page, "exceptions");

        await row.Locator("td:nth-child(2) a").ClickAsync();
        await ShowsAsync("Open", page.Locator("#exception-status"));
        await Chromium.AssertAccessibleAsync(page, "an exception");

        await page.GetByLabel("Assign to").FillAsync("sofia");
        await page.GetByRole(AriaRole.Button, new() { Name = "Assign" }).ClickAsync();
        await ShowsAsync("Assigned to sofia", page.Locator(".flash.ok"));
        await ShowsAsync("Assigned", page.Locator("#exception-status"));

        await page.GetByLabel("Comment", new() { Exact = true }).FillAsync("Asked the CRM admin to map the workshop product.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add comment" }).ClickAsync();
        await ShowsAsync("Asked the CRM admin", page.Locator("ol.log"));

        await page.GetByLabel("How it was fixed (optional)").FillAsync("Invoiced by hand this month.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await ShowsAsync("Resolved", page.Locator("#exception-status"));
        await Chromium.ScreenshotAsync(page, "exception-resolved");
        var history = await page.Locator("section[aria-labelledby=history] table").InnerTextAsync();
        Assert.Contains("Invoiced by hand this month.", history, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_customer_is_compared_side_by_side_and_merged()
    {
        var scenario = await ScenarioAsync();
        var tenant = scenario.MasterDataTenant;
        var page = await _chromium!.NewPageAsync(platform.Gateway.BaseAddress);
        await Chromium.SignInAsync(page, "admin", platform.AdminPassword);

        await page.GotoAsync($"/app/{tenant}/reviews?kind=PotentialDuplicate");
        await Chromium.AssertAccessibleAsync(page, "the review queue");
        await page.GetByRole(AriaRole.Link, new() { Name = "Compare side by side" }).First.ClickAsync();
        await ShowsAsync("Fabrikam Design Limited", page.Locator("table.compare"));
        await ShowsAsync("Fabrikam Design Ltd", page.Locator("table.compare"));
        await Chromium.ScreenshotAsync(page, "duplicate-side-by-side");
        await Chromium.AssertAccessibleAsync(page, "the side-by-side comparison");

        await page.GetByRole(AriaRole.Button, new() { Name = "Merge “Fabrikam Design Limited” into “Fabrikam Design Ltd”" }).ClickAsync();
        await ShowsAsync("Merged", page.Locator(".flash.ok"));
        Assert.Contains($"/customers/{scenario.SurvivorId}", page.Url, StringComparison.Ordinal);
        await Chromium.AssertAccessibleAsync(page, "a customer with its field history");

        // The merged customer's deal now belongs to the survivor (read back through the API, as finance would see it).
        await FlowAsync(tenant, scenario.DuplicateFlowId, f => f.GetProperty("customerId").GetString() == scenario.SurvivorId);
    }

    [Fact]
    public async Task The_deal_owner_is_refused_in_plain_words_and_another_finance_manager_approves_the_invoice()
    {
        var scenario = await ScenarioAsync();
        var tenant = scenario.ApprovalTenant;

        var maria = await _chromium!.NewPageAsync(platform.Gateway.BaseAddress);
        await Chromium.SignInAsync(maria, "maria", platform.AdminPassword);
        await maria.GotoAsync($"/app/{tenant}/approvals");
        await ShowsAsync("Big implementation", maria.Locator("main"));
        await ShowsAsync("10,000", maria.Locator("article.approval table"));
        await Chromium.AssertAccessibleAsync(maria, "approvals");
        await maria.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await ShowsAsync("Segregation of duties", maria.Locator(".flash.error"));
        await ShowsAsync("Ask another finance manager", maria.Locator(".flash.error"));
        await Chromium.ScreenshotAsync(maria, "approval-sod-refusal");

        var omar = await _chromium.NewPageAsync(platform.Gateway.BaseAddress);
        await Chromium.SignInAsync(omar, "omar", platform.AdminPassword);
        await omar.GotoAsync($"/app/{tenant}/approvals");
        await omar.GetByLabel("Note (optional)").First.FillAsync("Framework agreement signed.");
        await omar.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await ShowsAsync("Approved", omar.Locator(".flash.ok"));
        await Chromium.ScreenshotAsync(omar, "approval-approved");
        await FlowAsync(tenant, scenario.ApprovalFlowId, f => f.GetProperty("currentState").GetString() is "Posted" or "Sent");
    }

    [Fact]
    public async Task Every_page_has_no_serious_or_critical_accessibility_violation_and_a_read_only_role_sees_no_actions()
    {
        var scenario = await ScenarioAsync();
        var page = await _chromium!.NewPageAsync(platform.Gateway.BaseAddress);
        await Chromium.SignInAsync(page, "admin", platform.AdminPassword);
        await page.GotoAsync("/?choose=");
        await Chromium.AssertAccessibleAsync(page, "the tenant chooser");
        // Each page once, on the tenant where it has something to show (the queues and the detail pages are checked in the tests above).
        foreach (var (tenant, path) in new[]
                 {
                     (scenario.MasterDataTenant, "/reviews"), (scenario.ApprovalTenant, "/approvals"), (scenario.ApprovalTenant, "/flows"),
                     (scenario.ApprovalTenant, "/settings"), (scenario.ApprovalTenant, "/targets"),
                 })
        {
            await page.GotoAsync($"/app/{tenant}{path}");
            await Chromium.AssertAccessibleAsync(page, $"{tenant}{path}");
        }
        await page.GotoAsync($"/app/{scenario.ApprovalTenant}/flows/{scenario.ApprovalFlowId}");
        await ShowsAsync("Big implementation", page.Locator("h1"));
        await Chromium.AssertAccessibleAsync(page, "a flow's journey");
        await Chromium.ScreenshotAsync(page, "flow");
        await page.GotoAsync($"/app/{scenario.ApprovalTenant}/settings");
        await Chromium.ScreenshotAsync(page, "settings");

        // Keyboard alone: the first Tab reaches the skip link, which moves focus to the main content.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to main content", await page.EvaluateAsync<string>("document.activeElement.textContent"));

        // A sales user (read only) sees the queues of their tenant but no action buttons, and no other tenant.
        var sales = await _chromium.NewPageAsync(platform.Gateway.BaseAddress);
        await Chromium.SignInAsync(sales, "sam", platform.AdminPassword);
        await sales.GotoAsync("/app/acme/exceptions");
        await ShowsAsync("read only", sales.Locator("main"));
        Assert.Equal(0, await sales.GetByRole(AriaRole.Button, new() { Name = "Retry" }).CountAsync());
        await sales.GotoAsync($"/app/{scenario.ApprovalTenant}/approvals");
        Assert.Contains("Not your tenant", await sales.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
    }

    /// <summary>Waits (as Playwright does) until the element shows the text; fails with what it shows instead.</summary>
    private static async Task ShowsAsync(string text, ILocator locator)
    {
        try
        {
            await Assertions.Expect(locator.First).ToContainTextAsync(text, new() { Timeout = 20_000 });
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            var shown = await locator.Page.Locator("main").InnerTextAsync();
            Assert.Fail($"expected \"{text}\"; the page shows: {shown[..Math.Min(1500, shown.Length)]}");
        }
    }

    private async Task<string> PostDealAsync(string tenant, object deal)
    {
        using var response = await platform.Client.SendAsync(platform.Request(HttpMethod.Post, $"/api/crm/{tenant}/deals", platform.AdminToken, deal), Ct);
        Assert.True(response.IsSuccessStatusCode, $"POST deals: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("flowId").GetString()!;
    }

    private async Task<JsonElement> FlowAsync(string tenant, string flowId, Func<JsonElement, bool> condition)
    {
        JsonElement flow = default;
        Assert.True(await Eventually(async () =>
        {
            using var response = await platform.Client.SendAsync(platform.Request(HttpMethod.Get, $"/api/billing/{tenant}/flows/{flowId}", platform.AdminToken), Ct);
            if (!response.IsSuccessStatusCode)
                return false;
            flow = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            return condition(flow);
        }, TimeSpan.FromSeconds(90)), $"flow {flowId} of {tenant} did not get there: {flow}");
        return flow;
    }

    private static object Deal(string dealId, string customerId, string legalName, decimal amount) => new
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
        lines = new[] { new { description = "Brand workshop", quantity = 1m, unitPrice = amount } },
    };
}
