using System.Net;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.HubSpot.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.HubSpot.Tests;

public sealed class CrmObjectsTests(HubSpotSandboxFactory factory) : IClassFixture<HubSpotSandboxFactory>
{
    private readonly HubSpotClient _api = factory.Api;

    [Fact]
    public async Task Requests_without_a_valid_private_app_token_get_401_invalid_authentication()
    {
        var missing = await _api.GetAsync("/crm/v3/objects/companies", null);
        var wrong = await _api.GetAsync("/crm/v3/objects/companies", "pat-na1-00000000-0000-0000-0000-000000000000");

        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
        Assert.Equal("INVALID_AUTHENTICATION", missing.Body["category"]!.GetValue<string>());
        Assert.Equal("error", missing.Body["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
    }

    [Theory]
    [InlineData("companies", "name", "Contoso Advisory")]
    [InlineData("contacts", "email", "ada@contoso.example")]
    [InlineData("products", "name", "Advisory day")]
    [InlineData("line_items", "name", "Advisory day x3")]
    public async Task Each_object_type_can_be_created_read_updated_and_archived(string objectType, string property, string value)
    {
        var portal = await _api.NewPortalAsync();

        var created = (await _api.PostAsync($"/crm/v3/objects/{objectType}", new { properties = new Dictionary<string, string> { [property] = value } }, portal.ToolsToken))
            .Expect(HttpStatusCode.Created).Body;
        var id = created["id"]!.GetValue<string>();
        Assert.Matches("^[0-9]+$", id);
        Assert.Equal(value, created["properties"]![property]!.GetValue<string>());
        Assert.Equal(id, created["properties"]!["hs_object_id"]!.GetValue<string>());
        Assert.False(created["archived"]!.GetValue<bool>());
        Assert.True(DateTimeOffset.TryParse(created["createdAt"]!.GetValue<string>(), out _));

        var read = (await _api.GetAsync($"/crm/v3/objects/{objectType}/{id}?properties={property}", portal.ToolsToken)).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(value, read["properties"]![property]!.GetValue<string>());

        var patched = (await _api.PatchAsync($"/crm/v3/objects/{objectType}/{id}", new { properties = new Dictionary<string, string> { [property] = value + " 2" } }, portal.ToolsToken))
            .Expect(HttpStatusCode.OK).Body;
        Assert.Equal(value + " 2", patched["properties"]![property]!.GetValue<string>());

        (await _api.DeleteAsync($"/crm/v3/objects/{objectType}/{id}", portal.ToolsToken)).Expect(HttpStatusCode.NoContent);
        var gone = (await _api.GetAsync($"/crm/v3/objects/{objectType}/{id}", portal.ToolsToken)).Expect(HttpStatusCode.NotFound).Body;
        Assert.Equal("OBJECT_NOT_FOUND", gone["category"]!.GetValue<string>());
        var archived = (await _api.GetAsync($"/crm/v3/objects/{objectType}/{id}?archived=true", portal.ToolsToken)).Expect(HttpStatusCode.OK).Body;
        Assert.True(archived["archived"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Reads_return_default_properties_or_the_requested_ones_with_null_for_defined_but_empty()
    {
        var portal = await _api.NewPortalAsync();
        var dealId = await portal.CreateDealAsync();

        var defaults = (await _api.GetAsync($"/crm/v3/objects/deals/{dealId}", portal.ToolsToken)).Body["properties"]!.AsObject();
        Assert.Equal(["amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"], defaults.Select(p => p.Key));
        Assert.Null(defaults["closedate"]);

        var chosen = (await _api.GetAsync($"/crm/v3/objects/deals/{dealId}?properties=dealname&properties=description,not_a_property", portal.ToolsToken))
            .Body["properties"]!.AsObject();
        Assert.Equal("Northwind retainer", chosen["dealname"]!.GetValue<string>());
        Assert.True(chosen.ContainsKey("description"));
        Assert.Null(chosen["description"]);
        Assert.False(chosen.ContainsKey("not_a_property"));
        Assert.False(chosen.ContainsKey("amount"));
    }

    [Fact]
    public async Task Unknown_and_read_only_properties_and_bad_numbers_are_validation_errors()
    {
        var portal = await _api.NewPortalAsync();
        var response = await _api.PostAsync("/crm/v3/objects/deals",
            new { properties = new { dealname = "x", dealstage = "appointmentscheduled", amount = "twelve", q2c_invoice_id = "INV-1", hs_is_closed_won = "true" } },
            portal.ToolsToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("VALIDATION_ERROR", response.Body["category"]!.GetValue<string>());
        var message = response.Body["message"]!.GetValue<string>();
        Assert.StartsWith("Property values were not valid: ", message);
        var errors = JsonNode.Parse(message["Property values were not valid: ".Length..])!.AsArray();
        Assert.Contains(errors, e => e!["name"]!.GetValue<string>() == "q2c_invoice_id" && e["error"]!.GetValue<string>() == "PROPERTY_DOESNT_EXIST");
        Assert.Contains(errors, e => e!["name"]!.GetValue<string>() == "amount" && e["error"]!.GetValue<string>() == "INVALID_FLOAT");
        Assert.Contains(errors, e => e!["name"]!.GetValue<string>() == "hs_is_closed_won" && e["error"]!.GetValue<string>() == "READ_ONLY_VALUE");
    }

    [Fact]
    public async Task Deals_need_a_name_and_a_stage_and_default_to_the_default_pipeline()
    {
        var portal = await _api.NewPortalAsync();
        var missing = await _api.PostAsync("/crm/v3/objects/deals", new { properties = new { amount = "10" } }, portal.ToolsToken);
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);

        var id = await portal.CreateAsync("deals", new { dealname = "No pipeline given", dealstage = "qualifiedtobuy" });
        var deal = (await _api.GetAsync($"/crm/v3/objects/deals/{id}", portal.ToolsToken)).Body;
        Assert.Equal("default", deal["properties"]!["pipeline"]!.GetValue<string>());
    }

    [Fact]
    public async Task Datetime_values_accept_epoch_milliseconds_and_come_back_as_iso_8601()
    {
        var portal = await _api.NewPortalAsync();
        var id = await portal.CreateAsync("deals", new { dealname = "Dated", dealstage = "appointmentscheduled", closedate = "1735689600000" });

        var deal = (await _api.GetAsync($"/crm/v3/objects/deals/{id}", portal.ToolsToken)).Body;
        Assert.Equal("2025-01-01T00:00:00.000Z", deal["properties"]!["closedate"]!.GetValue<string>());
    }

    [Fact]
    public async Task Contacts_are_unique_by_email()
    {
        var portal = await _api.NewPortalAsync();
        var first = await portal.CreateAsync("contacts", new { email = "grace@northwind.example", firstname = "Grace" });
        var duplicate = await _api.PostAsync("/crm/v3/objects/contacts", new { properties = new { email = "Grace@Northwind.example" } }, portal.ToolsToken);

        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal("CONFLICT", duplicate.Body["category"]!.GetValue<string>());
        Assert.Contains(first, duplicate.Body["message"]!.GetValue<string>());
        var byEmail = (await _api.GetAsync("/crm/v3/objects/contacts/grace@northwind.example?idProperty=email", portal.ToolsToken)).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(first, byEmail["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Line_items_inherit_from_their_product_and_compute_their_net_amount()
    {
        var portal = await _api.NewPortalAsync();
        var products = (await _api.GetAsync("/crm/v3/objects/products?properties=name,price,hs_sku,hs_recurring_billing_period", portal.ToolsToken)).Body["results"]!.AsArray();
        var support = products.First(p => p!["properties"]!["hs_sku"]!.GetValue<string>() == "SUPPORT-12M")!;

        var created = (await _api.PostAsync("/crm/v3/objects/line_items",
            new { properties = new { hs_product_id = support["id"]!.GetValue<string>(), quantity = "2", discount = "1000" } }, portal.ToolsToken))
            .Expect(HttpStatusCode.Created).Body["properties"]!;

        Assert.Equal("Annual support subscription", created["name"]!.GetValue<string>());
        Assert.Equal("12000.00", created["price"]!.GetValue<string>());
        Assert.Equal("P12M", created["hs_recurring_billing_period"]!.GetValue<string>());
        Assert.Equal(22000m, decimal.Parse(created["amount"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));

        var negative = await _api.PostAsync("/crm/v3/objects/line_items", new { properties = new { name = "Refund", price = "-5" } }, portal.ToolsToken);
        Assert.Equal(HttpStatusCode.BadRequest, negative.Status);
        var unknownProduct = await _api.PostAsync("/crm/v3/objects/line_items", new { properties = new { hs_product_id = "1" } }, portal.ToolsToken);
        Assert.Equal(HttpStatusCode.BadRequest, unknownProduct.Status);
    }

    [Fact]
    public async Task Batch_read_returns_207_with_the_missing_ids_and_rejects_more_than_100_inputs()
    {
        var portal = await _api.NewPortalAsync();
        var a = await portal.CreateCompanyAsync("Alpha");
        var b = await portal.CreateCompanyAsync("Beta");

        var all = (await _api.PostAsync("/crm/v3/objects/companies/batch/read",
            new { inputs = new[] { new { id = a }, new { id = b } }, properties = new[] { "name" }, propertiesWithHistory = Array.Empty<string>() }, portal.ToolsToken))
            .Expect(HttpStatusCode.OK).Body;
        Assert.Equal("COMPLETE", all["status"]!.GetValue<string>());
        Assert.Equal(["Alpha", "Beta"], all["results"]!.AsArray().Select(r => r!["properties"]!["name"]!.GetValue<string>()).Order());

        var partial = (await _api.PostAsync("/crm/v3/objects/companies/batch/read",
            new { inputs = new[] { new { id = a }, new { id = "99999" } }, properties = new[] { "name" } }, portal.ToolsToken))
            .Expect(HttpStatusCode.MultiStatus).Body;
        Assert.Single(partial["results"]!.AsArray());
        Assert.Equal(1, partial["numErrors"]!.GetValue<int>());
        Assert.Equal("OBJECT_NOT_FOUND", partial["errors"]![0]!["category"]!.GetValue<string>());
        Assert.Equal("99999", partial["errors"]![0]!["context"]!["ids"]![0]!.GetValue<string>());

        var tooMany = await _api.PostAsync("/crm/v3/objects/companies/batch/read",
            new { inputs = Enumerable.Range(0, 101).Select(i => new { id = i.ToString() }).ToArray() }, portal.ToolsToken);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.Status);
        Assert.Equal("VALIDATION_ERROR", tooMany.Body["category"]!.GetValue<string>());
    }

    [Fact]
    public async Task Batch_create_update_and_archive()
    {
        var portal = await _api.NewPortalAsync();
        var created = (await _api.PostAsync("/crm/v3/objects/companies/batch/create",
            new { inputs = new[] { new { properties = new { name = "One" } }, new { properties = new { name = "Two" } } } }, portal.ToolsToken))
            .Expect(HttpStatusCode.Created).Body["results"]!.AsArray();
        var ids = created.Select(r => r!["id"]!.GetValue<string>()).ToArray();

        var updated = (await _api.PostAsync("/crm/v3/objects/companies/batch/update",
            new { inputs = ids.Select(id => new { id, properties = new { city = "Leeds" } }).ToArray() }, portal.ToolsToken))
            .Expect(HttpStatusCode.OK).Body["results"]!.AsArray();
        Assert.All(updated, r => Assert.Equal("Leeds", r!["properties"]!["city"]!.GetValue<string>()));

        (await _api.PostAsync("/crm/v3/objects/companies/batch/archive", new { inputs = ids.Select(id => new { id }).ToArray() }, portal.ToolsToken))
            .Expect(HttpStatusCode.NoContent);
        (await _api.GetAsync($"/crm/v3/objects/companies/{ids[0]}", portal.ToolsToken)).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Search_filters_sorts_and_pages()
    {
        var portal = await _api.NewPortalAsync();
        foreach (var (name, amount) in new[] { ("Retainer A", "5000"), ("Retainer B", "15000"), ("Project C", "25000"), ("Retainer D", "35000") })
            await portal.CreateAsync("deals", new { dealname = name, dealstage = "appointmentscheduled", amount });

        var large = (await _api.PostAsync("/crm/v3/objects/deals/search", new
        {
            filterGroups = new[] { new { filters = new object[] { new { propertyName = "amount", @operator = "GTE", value = "15000" }, new { propertyName = "dealname", @operator = "CONTAINS_TOKEN", value = "retainer" } } } },
            sorts = new[] { new { propertyName = "amount", direction = "DESCENDING" } },
            properties = new[] { "dealname", "amount" },
        }, portal.ToolsToken)).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(2, large["total"]!.GetValue<int>());
        Assert.Equal(["Retainer D", "Retainer B"], large["results"]!.AsArray().Select(r => r!["properties"]!["dealname"]!.GetValue<string>()));

        var either = (await _api.PostAsync("/crm/v3/objects/deals/search", new
        {
            filterGroups = new[]
            {
                new { filters = new object[] { new { propertyName = "dealname", @operator = "EQ", value = "project c" } } },
                new { filters = new object[] { new { propertyName = "amount", @operator = "IN", values = new[] { "5000", "35000" } } } },
            },
            limit = 2,
        }, portal.ToolsToken)).Body;
        Assert.Equal(3, either["total"]!.GetValue<int>());
        Assert.Equal(2, either["results"]!.AsArray().Count);
        var after = either["paging"]!["next"]!["after"]!.GetValue<string>();
        var rest = (await _api.PostAsync("/crm/v3/objects/deals/search", new
        {
            filterGroups = new[]
            {
                new { filters = new object[] { new { propertyName = "dealname", @operator = "EQ", value = "project c" } } },
                new { filters = new object[] { new { propertyName = "amount", @operator = "IN", values = new[] { "5000", "35000" } } } },
            },
            limit = 2,
            after,
        }, portal.ToolsToken)).Body;
        Assert.Single(rest["results"]!.AsArray());
        Assert.Null(rest["paging"]);

        var tooLarge = await _api.PostAsync("/crm/v3/objects/deals/search", new { limit = 201 }, portal.ToolsToken);
        Assert.Equal(HttpStatusCode.BadRequest, tooLarge.Status);
    }

    [Fact]
    public async Task Unknown_object_types_are_rejected()
    {
        var portal = await _api.NewPortalAsync();
        var response = await _api.GetAsync("/crm/v3/objects/invoices_of_doom", portal.ToolsToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("Unable to infer object type", response.Body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Properties_with_history_list_each_value_newest_first()
    {
        var portal = await _api.NewPortalAsync();
        var dealId = await portal.CreateDealAsync();
        await _api.PatchAsync($"/crm/v3/objects/deals/{dealId}", new { properties = new { amount = "13000" } }, portal.ToolsToken);

        var deal = (await _api.GetAsync($"/crm/v3/objects/deals/{dealId}?propertiesWithHistory=amount", portal.ToolsToken)).Body;
        var history = deal["propertiesWithHistory"]!["amount"]!.AsArray();
        Assert.Equal(["13000", "12000.00"], history.Select(h => h!["value"]!.GetValue<string>()));
    }
}
