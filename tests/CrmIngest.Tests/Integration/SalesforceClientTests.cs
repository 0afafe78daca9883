using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using QuoteToCash.Contracts;
using QuoteToCash.CrmIngest.Domain;
using QuoteToCash.CrmIngest.Infrastructure.Salesforce;
using QuoteToCash.Testing;

namespace QuoteToCash.CrmIngest.Tests.Integration;

/// <summary>The Salesforce sandbox as a real process, driven through <see cref="SalesforceClient"/>.</summary>
public sealed class SalesforceSandboxFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "q2c-crm-sf-" + Guid.NewGuid().ToString("N")[..10]);

    public ServiceProcess Sandbox { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        // Small query pages, so that the client has to follow nextRecordsUrl.
        Sandbox = new ServiceProcess("salesforce-sandbox", "QuoteToCash.Sandbox.Salesforce", ServiceProcess.FreePort(),
            new Dictionary<string, string> { ["Salesforce__Query__BatchSize"] = "3" }, _directory);
        Sandbox.Start();
        await Sandbox.WaitReadyAsync(TimeSpan.FromSeconds(60), "/health/live");
    }

    public async ValueTask DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SalesforceSandboxCollection : ICollectionFixture<SalesforceSandboxFixture>
{
    public const string Name = "salesforce-sandbox";
}

[Collection(SalesforceSandboxCollection.Name)]
public sealed class SalesforceClientTests(SalesforceSandboxFixture fixture)
{
    internal sealed record Org(string InstanceUrl, string Token, HttpClient Rest);

    private Task<Org> NewOrgAsync(CancellationToken cancel) => NewOrgAsync(fixture, cancel);

    internal static async Task<Org> NewOrgAsync(SalesforceSandboxFixture fixture, CancellationToken cancel)
    {
        var control = new HttpClient { BaseAddress = fixture.Sandbox.BaseAddress };
        var org = await ReadAsync(await control.PostAsJsonAsync("/_sandbox/orgs", new { name = "crm-" + Guid.NewGuid().ToString("N")[..8] }, cancel), cancel);
        var orgId = org["orgId"]!.GetValue<string>();
        var user = await ReadAsync(await control.PostAsJsonAsync($"/_sandbox/orgs/{orgId}/tokens", new { name = "tools", integrationUser = false }, cancel), cancel);
        var token = user["accessToken"]!.GetValue<string>();
        var instanceUrl = org["instanceUrl"]?.GetValue<string>() is { Length: > 0 } url ? url : fixture.Sandbox.BaseAddress.ToString().TrimEnd('/');
        var rest = new HttpClient { BaseAddress = new Uri(instanceUrl.TrimEnd('/') + "/services/data/v60.0/") };
        rest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new Org(instanceUrl, token, rest);
    }

    internal static SalesforceClient Client() => new(new HttpClient(), new SalesforceOrgShapeCache(TimeProvider.System), TimeProvider.System, NullLogger<SalesforceClient>.Instance);

    internal static async Task<JsonObject> ReadAsync(HttpResponseMessage response, CancellationToken cancel)
    {
        var text = await response.Content.ReadAsStringAsync(cancel);
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    internal static async Task<string> CreateAsync(Org org, string type, object body, CancellationToken cancel) =>
        (await ReadAsync(await org.Rest.PostAsJsonAsync($"sobjects/{type}", body, cancel), cancel))["id"]!.GetValue<string>();

    internal static async Task UpdateAsync(Org org, string type, string id, object body, CancellationToken cancel)
    {
        using var response = await org.Rest.PatchAsJsonAsync($"sobjects/{type}/{id}", body, cancel);
        Assert.True(response.IsSuccessStatusCode, $"PATCH {type}/{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancel)}");
    }

    /// <summary>An account with a quote and a backslash in its name, two contacts, and an opportunity (not won) with two line items.</summary>
    internal static async Task<(string AccountId, string OpportunityId)> SeedDealAsync(Org org, SalesforceClient client, CancellationToken cancel)
    {
        var accountId = await CreateAsync(org, "Account", new
        {
            Name = @"O'Brien \ Sons Ltd",
            BillingStreet = "1 Harbour Road",
            BillingCity = "Dublin",
            BillingState = "Leinster",
            BillingPostalCode = "D01 F5P2",
            BillingCountry = "IE",
            Website = "https://www.obrien.test",
        }, cancel);
        await CreateAsync(org, "Contact", new { AccountId = accountId, FirstName = "Aoife", LastName = "Byrne", Email = "aoife@obrien.test" }, cancel);
        await CreateAsync(org, "Contact", new { AccountId = accountId, FirstName = "Liam", LastName = "Walsh", Email = "ap@obrien.test" }, cancel);
        var opportunityId = await CreateAsync(org, "Opportunity", new
        {
            Name = "O'Brien rollout",
            AccountId = accountId,
            StageName = "Negotiation/Review",
            CloseDate = "2026-12-31",
        }, cancel);

        var entries = await client.QueryAsync(org.InstanceUrl, org.Token, "SELECT Id, ProductCode FROM PricebookEntry", cancel);
        string Entry(string code) => entries.Single(e => e["ProductCode"] == code).Id!;
        await CreateAsync(org, "OpportunityLineItem", new
        {
            OpportunityId = opportunityId, PricebookEntryId = Entry("IMPL-PKG"), Quantity = 2, UnitPrice = 5000, Discount = 10, ServiceDate = "2027-01-15",
        }, cancel);
        await CreateAsync(org, "OpportunityLineItem", new { OpportunityId = opportunityId, PricebookEntryId = Entry("CONSULT-HR"), Quantity = 20, UnitPrice = 150 }, cancel);
        return (accountId, opportunityId);
    }

    [Fact]
    public async Task An_opportunity_is_read_back_with_account_contacts_and_lines_and_normalized()
    {
        var cancel = TestContext.Current.CancellationToken;
        var org = await NewOrgAsync(cancel);
        var client = Client();
        var (accountId, opportunityId) = await SeedDealAsync(org, client, cancel);

        var opportunity = await client.GetOpportunityAsync(org.InstanceUrl, org.Token, opportunityId, cancel);

        Assert.NotNull(opportunity);
        Assert.Equal(accountId, opportunity.Account!.Id);
        Assert.Equal(2, opportunity.LineItems.Count);
        Assert.Equal(2, opportunity.Contacts.Count);

        var won = SalesforceDealNormalizer.Normalize("tenant-sf", opportunity, DateTimeOffset.Parse("2026-11-25T00:00:00Z"), BillingDefaults.None).Deal;
        Assert.Equal(FlowId.For("tenant-sf", "salesforce", opportunityId), won.FlowId);
        Assert.Equal(opportunityId, won.ExternalDealId);
        Assert.Equal("O'Brien rollout", won.DealName);
        Assert.Equal("USD", won.Currency);
        Assert.Equal(BillingModel.FixedFee, won.BillingModel);
        // The sandbox keeps Amount as the sum of the line items' TotalPrice: 2 × 5000 × 0.9 + 20 × 150.
        Assert.Equal(12000m, won.Amount);

        Assert.Equal(accountId, won.Customer.ExternalId);
        Assert.Equal(@"O'Brien \ Sons Ltd", won.Customer.LegalName);
        Assert.Equal("obrien.test", won.Customer.Domain);
        Assert.Equal("1 Harbour Road", won.Customer.BillingAddress!.Line1);
        Assert.Equal("Dublin", won.Customer.BillingAddress.City);
        Assert.Equal("Leinster", won.Customer.BillingAddress.Region);
        Assert.Equal("D01 F5P2", won.Customer.BillingAddress.PostalCode);
        Assert.Equal("IE", won.Customer.BillingAddress.Country);
        Assert.Equal(["aoife@obrien.test", "ap@obrien.test"], won.Customer.Contacts.Select(c => c.Email).Order().ToArray());
        Assert.Single(won.Customer.Contacts, c => c.IsBillingContact);

        var implementation = Assert.Single(won.Lines, l => l.Sku == "IMPL-PKG");
        Assert.Equal(2m, implementation.Quantity);
        Assert.Equal(5000m, implementation.UnitPrice);
        Assert.Equal(10m, implementation.DiscountPercent);
        Assert.Equal(new DateOnly(2027, 1, 15), implementation.ServiceStart);
        Assert.StartsWith("01t", implementation.ProductId);
        Assert.StartsWith("00k", implementation.ExternalId);
        var consulting = Assert.Single(won.Lines, l => l.Sku == "CONSULT-HR");
        Assert.Equal(20m, consulting.Quantity);
        Assert.Equal(150m, consulting.UnitPrice);
        Assert.Equal(0m, consulting.DiscountPercent);
    }

    [Fact]
    public async Task The_trigger_says_won_only_for_stages_that_are_won_in_the_metadata()
    {
        var cancel = TestContext.Current.CancellationToken;
        var org = await NewOrgAsync(cancel);
        var client = Client();
        var (_, opportunityId) = await SeedDealAsync(org, client, cancel);

        // More stages than a query page (3): the client follows nextRecordsUrl.
        var stages = await client.GetOpportunityStagesAsync(org.InstanceUrl, org.Token, cancel);
        Assert.True(stages.Count > 3, $"{stages.Count} stages");
        Assert.Contains(stages, s => s.StageId == "Contract Signed" && s.IsWon == true);
        var trigger = new BillingTrigger(stages);

        async Task<(bool Triggered, PipelineStage? Stage)> DecideAsync()
        {
            var opportunity = await client.GetOpportunityAsync(org.InstanceUrl, org.Token, opportunityId, cancel);
            var stage = SalesforceDealNormalizer.FindStage(stages, SalesforceDealNormalizer.StageOf(opportunity!.Opportunity));
            return (trigger.IsTriggered(SalesforceDealNormalizer.Pipeline, stage?.StageId ?? "?"), stage);
        }

        var open = await DecideAsync();
        Assert.False(open.Triggered);
        Assert.False(open.Stage!.IsClosed);

        await UpdateAsync(org, "Opportunity", opportunityId, new { StageName = "Contract Signed" }, cancel);
        var signed = await DecideAsync();
        Assert.True(signed.Triggered);
        Assert.Equal("Contract Signed", signed.Stage!.Label);

        await UpdateAsync(org, "Opportunity", opportunityId, new { StageName = "Closed Won" }, cancel);
        Assert.True((await DecideAsync()).Triggered);

        await UpdateAsync(org, "Opportunity", opportunityId, new { StageName = "Closed Lost" }, cancel);
        var lost = await DecideAsync();
        Assert.False(lost.Triggered);
        Assert.True(lost.Stage!.IsClosed);
        Assert.False(BillingTrigger.IsWon(lost.Stage));
    }

    [Fact]
    public async Task Queries_page_through_results_and_escape_string_literals()
    {
        var cancel = TestContext.Current.CancellationToken;
        var org = await NewOrgAsync(cancel);
        var client = Client();
        var (accountId, _) = await SeedDealAsync(org, client, cancel);
        for (var i = 0; i < 5; i++)
            await CreateAsync(org, "Contact", new { AccountId = accountId, LastName = $"Extra {i}" }, cancel);

        var soql = $"SELECT Id FROM Contact WHERE AccountId = {SalesforceClient.Literal(accountId)}";
        var firstPage = await ReadAsync(await org.Rest.GetAsync("query?q=" + Uri.EscapeDataString(soql), cancel), cancel);
        Assert.False(firstPage["done"]!.GetValue<bool>()); // the sandbox pages at 3, so the client has to follow nextRecordsUrl
        var contacts = await client.QueryAsync(org.InstanceUrl, org.Token, soql, cancel);
        Assert.Equal(7, contacts.Select(c => c.Id).Distinct().Count());

        var byName = await client.QueryAsync(org.InstanceUrl, org.Token, $"SELECT Id FROM Account WHERE Name = {SalesforceClient.Literal(@"O'Brien \ Sons Ltd")}", cancel);
        Assert.Equal(accountId, Assert.Single(byName).Id);

        var injection = await client.QueryAsync(org.InstanceUrl, org.Token, $"SELECT Id FROM Account WHERE Name = {SalesforceClient.Literal("x' OR Name != 'x")}", cancel);
        Assert.Empty(injection);

        var account = await client.GetAccountAsync(org.InstanceUrl, org.Token, accountId, cancel);
        Assert.NotNull(account);
        Assert.Equal(7, account.Value.Contacts.Count);
        var changed = SalesforceDealNormalizer.ToCustomerChanged("tenant-sf", account.Value.Account, account.Value.Contacts, DateTimeOffset.UnixEpoch);
        Assert.Equal(@"O'Brien \ Sons Ltd", changed.Customer.LegalName);
        Assert.Equal("Dublin", changed.Customer.BillingAddress!.City);
    }

    [Fact]
    public async Task Missing_records_are_null_and_errors_carry_salesforces_error_code()
    {
        var cancel = TestContext.Current.CancellationToken;
        var org = await NewOrgAsync(cancel);
        var client = Client();
        var (_, opportunityId) = await SeedDealAsync(org, client, cancel);
        await org.Rest.DeleteAsync($"sobjects/Opportunity/{opportunityId}", cancel);

        Assert.Null(await client.GetOpportunityAsync(org.InstanceUrl, org.Token, opportunityId, cancel));

        var malformed = await Assert.ThrowsAsync<SalesforceApiException>(() => client.QueryAsync(org.InstanceUrl, org.Token, "SELECT Id FROM Opportunity WHERE", cancel));
        Assert.Equal("MALFORMED_QUERY", malformed.ErrorCode);

        var session = await Assert.ThrowsAsync<SalesforceApiException>(() => client.GetOpportunityStagesAsync(org.InstanceUrl, "not-a-token", cancel));
        Assert.Equal("INVALID_SESSION_ID", session.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, session.StatusCode);
    }
}
