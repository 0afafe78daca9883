using System.Net;
using QuoteToCash.Sandbox.HubSpot.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.HubSpot.Tests;

public sealed class AssociationsTests(HubSpotSandboxFactory factory) : IClassFixture<HubSpotSandboxFactory>
{
    private readonly HubSpotClient _api = factory.Api;

    [Fact]
    public async Task A_primary_company_on_create_reads_back_as_deal_to_company_and_unlabeled_from_both_sides()
    {
        var portal = await _api.NewPortalAsync();
        var companyId = await portal.CreateCompanyAsync();
        var dealId = await portal.CreateDealAsync(companyId: companyId);

        var deal = (await _api.GetAsync($"/crm/v3/objects/deals/{dealId}?associations=companies", portal.ToolsToken)).Body;
        var types = deal["associations"]!["companies"]!["results"]!.AsArray().Select(r => (r!["id"]!.GetValue<string>(), r["type"]!.GetValue<string>()));
        Assert.Equal([(companyId, "deal_to_company"), (companyId, "deal_to_company_unlabeled")], types);

        var company = (await _api.GetAsync($"/crm/v3/objects/companies/{companyId}?associations=deals", portal.ToolsToken)).Body;
        Assert.Equal(["company_to_deal", "company_to_deal_unlabeled"],
            company["associations"]!["deals"]!["results"]!.AsArray().Select(r => r!["type"]!.GetValue<string>()));

        var v4 = (await _api.GetAsync($"/crm/v4/objects/companies/{companyId}/associations/deals", portal.ToolsToken)).Body["results"]![0]!;
        Assert.Equal(long.Parse(dealId), v4["toObjectId"]!.GetValue<long>());
        Assert.Equal([6, 342], v4["associationTypes"]!.AsArray().Select(t => t!["typeId"]!.GetValue<int>()));
        Assert.Equal("Primary", v4["associationTypes"]![0]!["label"]!.GetValue<string>());
    }

    [Fact]
    public async Task Contacts_and_line_items_use_hubspots_type_ids_and_line_items_appear_under_line_items_with_a_space()
    {
        var portal = await _api.NewPortalAsync();
        var dealId = await portal.CreateDealAsync();
        var contactId = await portal.CreateAsync("contacts", new { email = "buyer@northwind.example" });
        var lineItemId = await portal.CreateAsync("line_items", new { name = "Advisory", price = "100", quantity = "3" },
            [TestPortal.Association(dealId, 20)]);

        var labels = (await _api.PutAsync($"/crm/v4/objects/deals/{dealId}/associations/contacts/{contactId}",
            new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 3 } }, portal.ToolsToken)).Expect(HttpStatusCode.Created).Body;
        Assert.Equal("0-3", labels["fromObjectTypeId"]!.GetValue<string>());
        Assert.Equal("0-1", labels["toObjectTypeId"]!.GetValue<string>());

        var deal = (await _api.GetAsync($"/crm/v3/objects/deals/{dealId}?associations=contacts,line_items", portal.ToolsToken)).Body["associations"]!;
        Assert.Equal("deal_to_contact", deal["contacts"]!["results"]![0]!["type"]!.GetValue<string>());
        Assert.Equal(lineItemId, deal["line items"]!["results"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("deal_to_line_item", deal["line items"]!["results"]![0]!["type"]!.GetValue<string>());

        var fromContact = (await _api.GetAsync($"/crm/v4/objects/contacts/{contactId}/associations/deals", portal.ToolsToken)).Body["results"]![0]!;
        Assert.Equal(4, fromContact["associationTypes"]![0]!["typeId"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_line_item_belongs_to_one_deal()
    {
        var portal = await _api.NewPortalAsync();
        var first = await portal.CreateDealAsync("First");
        var second = await portal.CreateDealAsync("Second");
        var lineItemId = await portal.CreateAsync("line_items", new { name = "Advisory", price = "100" }, [TestPortal.Association(first, 20)]);

        var response = await _api.PutAsync($"/crm/v4/objects/line_items/{lineItemId}/associations/default/deals/{second}", null, portal.ToolsToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task Default_associations_batch_reads_and_removal()
    {
        var portal = await _api.NewPortalAsync();
        var dealId = await portal.CreateDealAsync();
        var companyId = await portal.CreateCompanyAsync();

        var created = (await _api.PutAsync($"/crm/v4/objects/deals/{dealId}/associations/default/companies/{companyId}", null, portal.ToolsToken))
            .Expect(HttpStatusCode.OK).Body;
        Assert.Equal(341, created["results"]![0]!["associationSpec"]!["associationTypeId"]!.GetValue<int>());

        var batch = (await _api.PostAsync("/crm/v4/associations/deals/companies/batch/read", new { inputs = new[] { new { id = dealId } } }, portal.ToolsToken))
            .Expect(HttpStatusCode.OK).Body;
        Assert.Equal(long.Parse(companyId), batch["results"]![0]!["to"]![0]!["toObjectId"]!.GetValue<long>());

        (await _api.DeleteAsync($"/crm/v4/objects/deals/{dealId}/associations/companies/{companyId}", portal.ToolsToken)).Expect(HttpStatusCode.NoContent);
        var after = (await _api.GetAsync($"/crm/v4/objects/deals/{dealId}/associations/companies", portal.ToolsToken)).Body["results"]!.AsArray();
        Assert.Empty(after);
        var deal = (await _api.GetAsync($"/crm/v3/objects/deals/{dealId}?associations=companies", portal.ToolsToken)).Body;
        Assert.Null(deal["associations"]);
    }

    [Fact]
    public async Task A_new_primary_company_replaces_the_old_primary_but_keeps_it_associated()
    {
        var portal = await _api.NewPortalAsync();
        var oldCompany = await portal.CreateCompanyAsync("Old Co");
        var newCompany = await portal.CreateCompanyAsync("New Co");
        var dealId = await portal.CreateDealAsync(companyId: oldCompany);

        (await _api.PostAsync("/crm/v4/associations/deals/companies/batch/create", new
        {
            inputs = new[] { new { from = new { id = dealId }, to = new { id = newCompany }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 5 } } } },
        }, portal.ToolsToken)).Expect(HttpStatusCode.Created);

        var results = (await _api.GetAsync($"/crm/v3/objects/deals/{dealId}?associations=companies", portal.ToolsToken)).Body["associations"]!["companies"]!["results"]!.AsArray();
        var pairs = results.Select(r => (r!["id"]!.GetValue<string>(), r["type"]!.GetValue<string>())).ToList();
        Assert.Contains((newCompany, "deal_to_company"), pairs);
        Assert.DoesNotContain((oldCompany, "deal_to_company"), pairs);
        Assert.Contains((oldCompany, "deal_to_company_unlabeled"), pairs);
    }

    [Fact]
    public async Task Associations_to_missing_objects_or_with_wrong_type_ids_are_rejected()
    {
        var portal = await _api.NewPortalAsync();
        var dealId = await portal.CreateDealAsync();
        var companyId = await portal.CreateCompanyAsync();

        var missing = await _api.PostAsync("/crm/v3/objects/deals",
            new { properties = new { dealname = "x", dealstage = "appointmentscheduled" }, associations = new[] { TestPortal.Association("123", 5) } }, portal.ToolsToken);
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);

        var wrongDirection = await _api.PutAsync($"/crm/v4/objects/deals/{dealId}/associations/companies/{companyId}",
            new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 3 } }, portal.ToolsToken);
        Assert.Equal(HttpStatusCode.BadRequest, wrongDirection.Status);
    }
}
