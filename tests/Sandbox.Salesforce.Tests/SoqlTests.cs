using System.Net;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.Salesforce.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.Salesforce.Tests;

/// <summary>SOQL over one realistic org: three clients of a consulting firm and their opportunities.</summary>
public sealed class SoqlTests(SalesforceSandboxFactory factory) : IClassFixture<SalesforceSandboxFactory>
{
    private readonly SalesforceClient _api = factory.Api;

    private async Task<(TestOrg Org, Dictionary<string, string> Accounts, Dictionary<string, string> Opportunities)> SeedAsync()
    {
        var org = await _api.NewOrgAsync();
        var accounts = new Dictionary<string, string>
        {
            ["Northwind"] = await org.CreateAsync("Account", new { Name = "Northwind Traders", Industry = "Retail" }),
            ["Contoso"] = await org.CreateAsync("Account", new { Name = "Contoso Ltd", Industry = "Technology" }),
            ["Fabrikam"] = await org.CreateAsync("Account", new { Name = "Fabrikam", Industry = "Manufacturing" }),
        };
        var opportunities = new Dictionary<string, string>
        {
            ["Retainer"] = await org.CreateAsync("Opportunity", new { Name = "Northwind retainer", AccountId = accounts["Northwind"], StageName = "Closed Won", CloseDate = "2026-01-15", Amount = 24000 }),
            ["Audit"] = await org.CreateAsync("Opportunity", new { Name = "Contoso audit", AccountId = accounts["Contoso"], StageName = "Negotiation/Review", CloseDate = "2026-02-20", Amount = 8000 }),
            ["Rollout"] = await org.CreateAsync("Opportunity", new { Name = "Contoso rollout", AccountId = accounts["Contoso"], StageName = "Contract Signed", CloseDate = "2026-03-01", Amount = 52000 }),
            ["Pilot"] = await org.CreateAsync("Opportunity", new { Name = "Fabrikam pilot", AccountId = accounts["Fabrikam"], StageName = "Closed Lost", CloseDate = "2026-01-05" }),
        };
        var entry = await org.StandardEntryAsync("CONSULT-HR");
        await org.CreateAsync("OpportunityLineItem", new { OpportunityId = opportunities["Retainer"], PricebookEntryId = entry["Id"]!.GetValue<string>(), Quantity = 100, UnitPrice = 150, ServiceDate = "2026-02-01" });
        await org.CreateAsync("OpportunityLineItem", new { OpportunityId = opportunities["Retainer"], PricebookEntryId = entry["Id"]!.GetValue<string>(), Quantity = 60, UnitPrice = 150, ServiceDate = "2026-03-01" });
        return (org, accounts, opportunities);
    }

    private static List<string> Names(JsonArray records) => records.Select(r => r!["Name"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Select_with_relationship_fields_returns_nested_objects_with_attributes()
    {
        var (org, _, opportunities) = await SeedAsync();
        var response = (await org.QueryAsync($"select id, Name, StageName, Amount, account.name, Account.Industry, Owner.Name from opportunity where Id = '{opportunities["Audit"]}'"))
            .Expect(HttpStatusCode.OK).Body;

        Assert.Equal(1, response["totalSize"]!.GetValue<int>());
        Assert.True(response["done"]!.GetValue<bool>());
        var record = response["records"]![0]!.AsObject();
        Assert.Equal(["attributes", "Id", "Name", "StageName", "Amount", "Account", "Owner"], record.Select(p => p.Key));
        Assert.Equal("Opportunity", record["attributes"]!["type"]!.GetValue<string>());
        Assert.Equal("Contoso Ltd", record["Account"]!["Name"]!.GetValue<string>());
        Assert.Equal("Technology", record["Account"]!["Industry"]!.GetValue<string>());
        Assert.Equal("Account", record["Account"]!["attributes"]!["type"]!.GetValue<string>());
        Assert.Equal("tools", record["Owner"]!["Name"]!.GetValue<string>());
        Assert.Equal(8000m, record["Amount"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Where_supports_equality_inequality_in_and_or_not_like_and_null()
    {
        var (org, accounts, _) = await SeedAsync();

        Assert.Equal(["Contoso audit", "Contoso rollout"],
            Names(await org.RecordsAsync($"SELECT Name FROM Opportunity WHERE AccountId = '{accounts["Contoso"][..15]}' ORDER BY Name")));
        Assert.Equal(["Contoso audit", "Contoso rollout", "Fabrikam pilot"],
            Names(await org.RecordsAsync("SELECT Name FROM Opportunity WHERE StageName != 'Closed Won' ORDER BY Name")));
        Assert.Equal(["Fabrikam pilot", "Northwind retainer"],
            Names(await org.RecordsAsync("SELECT Name FROM Opportunity WHERE StageName IN ('Closed Won', 'Closed Lost') ORDER BY Name")));
        Assert.Equal(["Contoso audit", "Contoso rollout"],
            Names(await org.RecordsAsync("SELECT Name FROM Opportunity WHERE StageName NOT IN ('Closed Won', 'Closed Lost') ORDER BY Name")));
        Assert.Equal(["Contoso rollout", "Northwind retainer"],
            Names(await org.RecordsAsync("SELECT Name FROM Opportunity WHERE IsWon = true AND (Amount > 20000 OR Account.Name = 'Fabrikam') ORDER BY Name")));
        Assert.Equal(["Fabrikam pilot"],
            Names(await org.RecordsAsync("SELECT Name FROM Opportunity WHERE Amount = null")));
        Assert.Equal(["Contoso audit", "Contoso rollout"],
            Names(await org.RecordsAsync("SELECT Name FROM Opportunity WHERE Account.Name LIKE 'contoso%' AND NOT (Amount < 1000) ORDER BY Name")));
        Assert.Equal(["Contoso rollout", "Contoso audit"],
            Names(await org.RecordsAsync("SELECT Name FROM Opportunity WHERE CloseDate >= 2026-02-01 ORDER BY CloseDate DESC")));
    }

    [Fact]
    public async Task Order_by_limit_offset_and_count()
    {
        var (org, _, _) = await SeedAsync();

        Assert.Equal(["Contoso rollout", "Northwind retainer"],
            Names(await org.RecordsAsync("SELECT Name FROM Opportunity ORDER BY Amount DESC NULLS LAST LIMIT 2")));
        Assert.Equal(["Fabrikam pilot", "Contoso audit"],
            Names(await org.RecordsAsync("SELECT Name FROM Opportunity ORDER BY Amount ASC NULLS FIRST LIMIT 2")));
        Assert.Equal(["Contoso rollout", "Fabrikam pilot"],
            Names(await org.RecordsAsync("SELECT Name FROM Opportunity ORDER BY Name LIMIT 2 OFFSET 1")));
        var count = (await org.QueryAsync("SELECT COUNT() FROM Opportunity WHERE IsClosed = true")).Body;
        Assert.Equal(3, count["totalSize"]!.GetValue<int>());
        Assert.Empty(count["records"]!.AsArray());
    }

    [Fact]
    public async Task A_child_subquery_returns_line_items_under_their_opportunity()
    {
        var (org, _, opportunities) = await SeedAsync();
        var records = await org.RecordsAsync(
            "SELECT Name, (SELECT Quantity, UnitPrice, TotalPrice, ServiceDate, Product2.ProductCode FROM OpportunityLineItems ORDER BY ServiceDate) FROM Opportunity WHERE IsWon = true ORDER BY Name");

        var rollout = records.Single(r => r!["Name"]!.GetValue<string>() == "Contoso rollout")!;
        Assert.Null(rollout["OpportunityLineItems"]);
        var retainer = records.Single(r => r!["Name"]!.GetValue<string>() == "Northwind retainer")!["OpportunityLineItems"]!;
        Assert.Equal(2, retainer["totalSize"]!.GetValue<int>());
        Assert.True(retainer["done"]!.GetValue<bool>());
        var items = retainer["records"]!.AsArray();
        Assert.Equal(["2026-02-01", "2026-03-01"], items.Select(i => i!["ServiceDate"]!.GetValue<string>()));
        Assert.Equal(15000m, items[0]!["TotalPrice"]!.GetValue<decimal>());
        Assert.Equal("CONSULT-HR", items[0]!["Product2"]!["ProductCode"]!.GetValue<string>());
        Assert.Equal("OpportunityLineItem", items[0]!["attributes"]!["type"]!.GetValue<string>());

        var retainerAmount = (await org.RecordsAsync($"SELECT Amount FROM Opportunity WHERE Id = '{opportunities["Retainer"]}'"))[0]!["Amount"]!.GetValue<decimal>();
        Assert.Equal(24000m, retainerAmount);
    }

    [Fact]
    public async Task Opportunity_stages_are_queryable_with_won_and_closed_flags()
    {
        var org = await _api.NewOrgAsync();
        var stages = await org.RecordsAsync("SELECT MasterLabel, IsWon, IsClosed, DefaultProbability FROM OpportunityStage ORDER BY SortOrder");

        var won = stages.Where(s => s!["IsWon"]!.GetValue<bool>()).Select(s => s!["MasterLabel"]!.GetValue<string>()).ToList();
        Assert.Equal(["Contract Signed", "Closed Won"], won);
        var lost = stages.Single(s => s!["MasterLabel"]!.GetValue<string>() == "Closed Lost")!;
        Assert.True(lost["IsClosed"]!.GetValue<bool>());
        Assert.False(lost["IsWon"]!.GetValue<bool>());
        Assert.Equal("Prospecting", stages[0]!["MasterLabel"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("SELECT Id FRM Account", "MALFORMED_QUERY", "unexpected token: FRM")]
    [InlineData("SELECT Id, FROM Account", "MALFORMED_QUERY", "unexpected token")]
    [InlineData("SELECT Id FROM Account WHERE Name = 'x", "MALFORMED_QUERY", "unexpected token")]
    [InlineData("SELECT Id FROM Account LIMIT", "MALFORMED_QUERY", "unexpected token: <EOF>")]
    [InlineData("SELECT Id, Id FROM Account", "MALFORMED_QUERY", "duplicate field selected: Id")]
    [InlineData("SELECT Colour__c FROM Account", "INVALID_FIELD", "No such column 'Colour__c' on entity 'Account'")]
    [InlineData("SELECT Id FROM Account WHERE Owner.Nope = 'x'", "INVALID_FIELD", "No such column 'Nope' on entity 'User'")]
    [InlineData("SELECT Id FROM Opportunity WHERE CloseDate = '2026-01-01'", "INVALID_FIELD", "must be of type date and should not be enclosed in quotes")]
    [InlineData("SELECT Id FROM Opportunity WHERE Amount = '5'", "INVALID_FIELD", "must be of type double")]
    [InlineData("SELECT Id FROM Opportunity WHERE Id = 'not-an-id'", "INVALID_QUERY_FILTER_OPERATOR", "invalid ID field: not-an-id")]
    [InlineData("SELECT Id FROM Invoice__c", "INVALID_TYPE", "sObject type 'Invoice__c' is not supported")]
    [InlineData("SELECT Id, (SELECT Id FROM Nothings) FROM Opportunity", "INVALID_TYPE", "Didn't understand relationship 'Nothings'")]
    public async Task Bad_queries_get_salesforce_error_bodies(string soql, string errorCode, string messagePart)
    {
        var org = await _api.NewOrgAsync();
        var response = await org.QueryAsync(soql);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        var error = Assert.Single(response.Body.AsArray())!.AsObject();
        Assert.Equal(["message", "errorCode"], error.Select(p => p.Key));
        Assert.Equal(errorCode, error["errorCode"]!.GetValue<string>());
        Assert.Contains(messagePart, error["message"]!.GetValue<string>());
        Assert.Contains("ERROR at Row:1:Column:", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Large_results_are_paged_through_next_records_url()
    {
        var org = await _api.NewOrgAsync();
        var records = Enumerable.Range(0, 120).Select(i => (object)new { attributes = new { type = "Account" }, Name = $"Paged {i:000}" }).ToArray();
        (await org.PostAsync("/composite/sobjects", new { records = records[..100] })).Expect(HttpStatusCode.OK);
        (await org.PostAsync("/composite/sobjects", new { records = records[100..] })).Expect(HttpStatusCode.OK);

        var first = (await org.QueryAsync("SELECT Name FROM Account WHERE Name LIKE 'Paged%' ORDER BY Name")).Body;
        Assert.Equal(120, first["totalSize"]!.GetValue<int>());
        Assert.False(first["done"]!.GetValue<bool>());
        Assert.Equal(50, first["records"]!.AsArray().Count);
        var names = Names(first["records"]!.AsArray());
        var next = first["nextRecordsUrl"]!.GetValue<string>();
        Assert.StartsWith("/services/data/v60.0/query/", next);
        while (next is not null)
        {
            var page = (await _api.SendAsync(HttpMethod.Get, next, token: org.Token)).Expect(HttpStatusCode.OK).Body;
            names.AddRange(Names(page["records"]!.AsArray()));
            next = page["nextRecordsUrl"]?.GetValue<string>();
        }
        Assert.Equal(Enumerable.Range(0, 120).Select(i => $"Paged {i:000}"), names);
    }
}
