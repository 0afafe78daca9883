using System.Net;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.Salesforce.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.Salesforce.Tests;

public sealed class SObjectTests(SalesforceSandboxFactory factory) : IClassFixture<SalesforceSandboxFactory>
{
    private readonly SalesforceClient _api = factory.Api;

    [Fact]
    public async Task Accounts_are_created_retrieved_updated_and_deleted_with_salesforce_shapes()
    {
        var org = await _api.NewOrgAsync();
        var created = (await org.PostAsync("/sobjects/Account", new { Name = "Contoso Advisory", BillingCity = "Leeds" })).Expect(HttpStatusCode.Created).Body;
        Assert.True(created["success"]!.GetValue<bool>());
        Assert.Empty(created["errors"]!.AsArray());
        var id = created["id"]!.GetValue<string>();
        Assert.Matches("^001[A-Za-z0-9]{15}$", id);

        var record = (await org.GetAsync($"/sobjects/Account/{id}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("Account", record["attributes"]!["type"]!.GetValue<string>());
        Assert.Equal($"/services/data/v60.0/sobjects/Account/{id}", record["attributes"]!["url"]!.GetValue<string>());
        Assert.Equal("Leeds", record["BillingCity"]!.GetValue<string>());
        Assert.Equal(org.UserId, record["OwnerId"]!.GetValue<string>());
        Assert.Equal(org.UserId, record["CreatedById"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$", record["CreatedDate"]!.GetValue<string>());
        Assert.Null(record["Phone"]);

        var some = (await org.GetAsync($"/sobjects/Account/{id[..15]}?fields=Name,BillingCity")).Expect(HttpStatusCode.OK).Body.AsObject();
        Assert.Equal(["attributes", "Name", "BillingCity"], some.Select(p => p.Key));

        (await org.PatchAsync($"/sobjects/Account/{id}", new { Phone = "+44 113 000 0000" })).Expect(HttpStatusCode.NoContent);
        Assert.Equal("+44 113 000 0000", (await org.GetAsync($"/sobjects/Account/{id}")).Body["Phone"]!.GetValue<string>());

        (await org.DeleteAsync($"/sobjects/Account/{id}")).Expect(HttpStatusCode.NoContent);
        var gone = await org.GetAsync($"/sobjects/Account/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Equal("NOT_FOUND", gone.ErrorCode);
        var again = await org.DeleteAsync($"/sobjects/Account/{id}");
        Assert.Equal("ENTITY_IS_DELETED", again.ErrorCode);
    }

    [Fact]
    public async Task Contacts_products_and_price_books_can_be_written()
    {
        var org = await _api.NewOrgAsync();
        var accountId = await org.CreateAccountAsync();
        var contactId = await org.CreateAsync("Contact", new { FirstName = "Ada", LastName = "Lovelace", Email = "ada@northwind.example", AccountId = accountId });
        Assert.Equal("Ada Lovelace", (await org.GetAsync($"/sobjects/Contact/{contactId}")).Body["Name"]!.GetValue<string>());

        var productId = await org.CreateAsync("Product2", new { Name = "Workshop day", ProductCode = "WORKSHOP-D", IsActive = true });
        var pricebookId = await org.CreateAsync("Pricebook2", new { Name = "Partners", IsActive = true });
        var standardId = (await org.RecordsAsync("SELECT Id FROM Pricebook2 WHERE IsStandard = true"))[0]!["Id"]!.GetValue<string>();

        var custom = await org.PostAsync("/sobjects/PricebookEntry", new { Pricebook2Id = pricebookId, Product2Id = productId, UnitPrice = 900, IsActive = true });
        Assert.Equal("STANDARD_PRICE_NOT_DEFINED", custom.ErrorCode);
        await org.CreateAsync("PricebookEntry", new { Pricebook2Id = standardId, Product2Id = productId, UnitPrice = 1000, IsActive = true });
        await org.CreateAsync("PricebookEntry", new { Pricebook2Id = pricebookId, Product2Id = productId, UnitPrice = 900, IsActive = true });
        var duplicate = await org.PostAsync("/sobjects/PricebookEntry", new { Pricebook2Id = pricebookId, Product2Id = productId, UnitPrice = 800 });
        Assert.Equal("DUPLICATE_VALUE", duplicate.ErrorCode);
    }

    [Fact]
    public async Task Field_errors_use_salesforce_error_codes()
    {
        var org = await _api.NewOrgAsync();
        var accountId = await org.CreateAccountAsync();

        var missing = await org.PostAsync("/sobjects/Opportunity", new { Name = "No stage" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal("REQUIRED_FIELD_MISSING", missing.ErrorCode);
        Assert.Contains("StageName", missing.Body[0]!["fields"]!.AsArray().Select(f => f!.GetValue<string>()));

        var unknown = await org.PostAsync("/sobjects/Account", new { Name = "x", Colour__c = "red" });
        Assert.Equal("INVALID_FIELD", unknown.ErrorCode);

        var readOnly = await org.PostAsync("/sobjects/Opportunity", new { Name = "x", StageName = "Prospecting", CloseDate = "2026-01-01", IsWon = true });
        Assert.Equal("INVALID_FIELD_FOR_INSERT_UPDATE", readOnly.ErrorCode);

        var stage = await org.PostAsync("/sobjects/Opportunity", new { Name = "x", StageName = "Won-ish", CloseDate = "2026-01-01" });
        Assert.Equal("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", stage.ErrorCode);

        var wrongType = await org.PostAsync("/sobjects/Opportunity", new { Name = "x", StageName = "Prospecting", CloseDate = "2026-01-01", AccountId = org.UserId });
        Assert.Equal("FIELD_INTEGRITY_EXCEPTION", wrongType.ErrorCode);

        var badJson = await _api.SendAsync(HttpMethod.Post, SalesforceClient.Data + "/sobjects/Account", "{\"Name\": ", org.Token);
        Assert.Equal("JSON_PARSER_ERROR", badJson.ErrorCode);

        var unknownType = await org.GetAsync("/sobjects/Invoice__c/describe");
        Assert.Equal(HttpStatusCode.NotFound, unknownType.Status);
        Assert.Equal("NOT_FOUND", unknownType.ErrorCode);
        Assert.NotNull(accountId);
    }

    [Fact]
    public async Task Opportunities_derive_won_closed_probability_and_forecast_from_the_stage()
    {
        var org = await _api.NewOrgAsync();
        var accountId = await org.CreateAccountAsync();
        var id = await org.CreateOpportunityAsync(accountId);
        var open = (await org.GetAsync($"/sobjects/Opportunity/{id}")).Body;
        Assert.False(open["IsWon"]!.GetValue<bool>());
        Assert.Equal(10m, open["Probability"]!.GetValue<decimal>());
        Assert.Equal("Pipeline", open["ForecastCategoryName"]!.GetValue<string>());

        await org.PatchAsync($"/sobjects/Opportunity/{id}", new { StageName = "Closed Won" });
        var won = (await org.GetAsync($"/sobjects/Opportunity/{id}")).Body;
        Assert.True(won["IsWon"]!.GetValue<bool>());
        Assert.True(won["IsClosed"]!.GetValue<bool>());
        Assert.Equal(100m, won["Probability"]!.GetValue<decimal>());
        Assert.Equal("Closed", won["ForecastCategoryName"]!.GetValue<string>());

        var isWon = await org.PatchAsync($"/sobjects/Opportunity/{id}", new { IsWon = false });
        Assert.Equal("INVALID_FIELD_FOR_INSERT_UPDATE", isWon.ErrorCode);
    }

    [Fact]
    public async Task Line_items_follow_price_book_rules_and_roll_up_into_the_amount()
    {
        var org = await _api.NewOrgAsync();
        var accountId = await org.CreateAccountAsync();
        var id = await org.CreateOpportunityAsync(accountId, amount: 999m);
        var consulting = await org.StandardEntryAsync("CONSULT-HR");
        var support = await org.StandardEntryAsync("SUPPORT-12M");

        var both = await org.PostAsync("/sobjects/OpportunityLineItem", new { OpportunityId = id, PricebookEntryId = consulting["Id"]!.GetValue<string>(), Quantity = 1, UnitPrice = 150, TotalPrice = 150 });
        Assert.Equal("FIELD_INTEGRITY_EXCEPTION", both.ErrorCode);

        var hours = await org.CreateAsync("OpportunityLineItem", new { OpportunityId = id, PricebookEntryId = consulting["Id"]!.GetValue<string>(), Quantity = 40, UnitPrice = 140 });
        await org.CreateAsync("OpportunityLineItem", new { OpportunityId = id, Product2Id = support["Product2Id"]!.GetValue<string>(), Quantity = 1, TotalPrice = 10800, Discount = 10 });

        var item = (await org.GetAsync($"/sobjects/OpportunityLineItem/{hours}")).Body;
        Assert.Equal(5600m, item["TotalPrice"]!.GetValue<decimal>());
        Assert.Equal(150m, item["ListPrice"]!.GetValue<decimal>());
        Assert.Equal("CONSULT-HR", item["ProductCode"]!.GetValue<string>());

        var opportunity = (await org.GetAsync($"/sobjects/Opportunity/{id}")).Body;
        Assert.Equal(16400m, opportunity["Amount"]!.GetValue<decimal>());
        Assert.True(opportunity["HasOpportunityLineItem"]!.GetValue<bool>());
        Assert.NotNull(opportunity["Pricebook2Id"]);

        await org.PatchAsync($"/sobjects/Opportunity/{id}", new { Amount = 1 });
        Assert.Equal(16400m, (await org.GetAsync($"/sobjects/Opportunity/{id}")).Body["Amount"]!.GetValue<decimal>());

        await org.DeleteAsync($"/sobjects/OpportunityLineItem/{hours}");
        Assert.Equal(10800m, (await org.GetAsync($"/sobjects/Opportunity/{id}")).Body["Amount"]!.GetValue<decimal>());

        var productId = await org.CreateAsync("Product2", new { Name = "Old thing", IsActive = true });
        var standardId = (await org.RecordsAsync("SELECT Id FROM Pricebook2 WHERE IsStandard = true"))[0]!["Id"]!.GetValue<string>();
        var inactive = await org.CreateAsync("PricebookEntry", new { Pricebook2Id = standardId, Product2Id = productId, UnitPrice = 5 });
        var rejected = await org.PostAsync("/sobjects/OpportunityLineItem", new { OpportunityId = id, PricebookEntryId = inactive, Quantity = 1, UnitPrice = 5 });
        Assert.Equal("FIELD_INTEGRITY_EXCEPTION", rejected.ErrorCode);
        Assert.Contains("inactive", rejected.ErrorMessage);
    }

    [Fact]
    public async Task Deleting_an_opportunity_deletes_its_line_items()
    {
        var org = await _api.NewOrgAsync();
        var id = await org.CreateOpportunityAsync(await org.CreateAccountAsync());
        var entry = await org.StandardEntryAsync("IMPL-PKG");
        var item = await org.CreateAsync("OpportunityLineItem", new { OpportunityId = id, PricebookEntryId = entry["Id"]!.GetValue<string>(), Quantity = 1, UnitPrice = 5000 });

        (await org.DeleteAsync($"/sobjects/Opportunity/{id}")).Expect(HttpStatusCode.NoContent);

        Assert.Equal(HttpStatusCode.NotFound, (await org.GetAsync($"/sobjects/OpportunityLineItem/{item}")).Status);
    }

    [Fact]
    public async Task Composite_sobjects_create_update_retrieve_and_all_or_none()
    {
        var org = await _api.NewOrgAsync();
        var created = (await org.PostAsync("/composite/sobjects", new
        {
            allOrNone = false,
            records = new object[]
            {
                new { attributes = new { type = "Account" }, Name = "One" },
                new { attributes = new { type = "Account" } },
            },
        })).Expect(HttpStatusCode.OK).Body.AsArray();
        Assert.True(created[0]!["success"]!.GetValue<bool>());
        Assert.False(created[1]!["success"]!.GetValue<bool>());
        Assert.Equal("REQUIRED_FIELD_MISSING", created[1]!["errors"]![0]!["statusCode"]!.GetValue<string>());

        var rolledBack = (await org.PostAsync("/composite/sobjects", new
        {
            allOrNone = true,
            records = new object[]
            {
                new { attributes = new { type = "Account" }, Name = "Kept?" },
                new { attributes = new { type = "Account" } },
            },
        })).Body.AsArray();
        Assert.Equal("ALL_OR_NONE_OPERATION_ROLLED_BACK", rolledBack[0]!["errors"]![0]!["statusCode"]!.GetValue<string>());
        Assert.Empty(await org.RecordsAsync("SELECT Id FROM Account WHERE Name = 'Kept?'"));

        var id = created[0]!["id"]!.GetValue<string>();
        (await org.PatchAsync("/composite/sobjects", new { records = new object[] { new { attributes = new { type = "Account" }, id, Name = "Uno" } } })).Expect(HttpStatusCode.OK);
        var fetched = (await org.PostAsync("/composite/sobjects/Account", new { ids = new[] { id }, fields = new[] { "Name" } })).Expect(HttpStatusCode.OK).Body.AsArray();
        Assert.Equal("Uno", fetched[0]!["Name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Describe_lists_fields_relationships_and_child_relationships()
    {
        var org = await _api.NewOrgAsync();
        var describe = (await org.GetAsync("/sobjects/Opportunity/describe")).Expect(HttpStatusCode.OK).Body;

        Assert.Equal("006", describe["keyPrefix"]!.GetValue<string>());
        var account = describe["fields"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == "AccountId")!;
        Assert.Equal("reference", account["type"]!.GetValue<string>());
        Assert.Equal("Account", account["relationshipName"]!.GetValue<string>());
        Assert.Contains(describe["childRelationships"]!.AsArray(), r => r!["relationshipName"]!.GetValue<string>() == "OpportunityLineItems");
        var stage = describe["fields"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == "StageName")!;
        Assert.Contains(stage["picklistValues"]!.AsArray(), v => v!["value"]!.GetValue<string>() == "Closed Won");

        var global = (await org.GetAsync("/sobjects")).Body["sobjects"]!.AsArray().Select(s => s!["name"]!.GetValue<string>());
        Assert.Superset(new HashSet<string> { "Account", "Contact", "Opportunity", "OpportunityLineItem", "Product2", "PricebookEntry", "Pricebook2" }, global.ToHashSet());
    }
}
