using System.Net;
using QuoteToCash.Sandbox.HubSpot.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.HubSpot.Tests;

public sealed class PipelinesAndPropertiesTests(HubSpotSandboxFactory factory) : IClassFixture<HubSpotSandboxFactory>
{
    private readonly HubSpotClient _api = factory.Api;

    [Fact]
    public async Task The_default_pipeline_has_hubspots_stage_ids_and_string_metadata()
    {
        var portal = await _api.NewPortalAsync();
        var pipelines = (await _api.GetAsync("/crm/v3/pipelines/deals", portal.ToolsToken)).Expect(HttpStatusCode.OK).Body["results"]!.AsArray();
        var standard = pipelines.Single(p => p!["id"]!.GetValue<string>() == "default")!;

        Assert.Equal(["appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent", "closedwon", "closedlost"],
            standard["stages"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()));
        var won = standard["stages"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "closedwon")!;
        Assert.Equal("true", won["metadata"]!["isClosed"]!.GetValue<string>());
        Assert.Equal("1.0", won["metadata"]!["probability"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_custom_pipeline_has_numeric_ids_and_won_is_known_from_metadata_and_hs_is_closed_won()
    {
        var portal = await _api.NewPortalAsync();
        var custom = (await _api.GetAsync("/crm/v3/pipelines/deals", portal.ToolsToken)).Body["results"]!.AsArray()
            .Single(p => p!["id"]!.GetValue<string>() != "default")!;
        var pipelineId = custom["id"]!.GetValue<string>();
        Assert.Matches("^[0-9]+$", pipelineId);
        var stages = custom["stages"]!.AsArray();
        Assert.All(stages, s => Assert.Matches("^[0-9]+$", s!["id"]!.GetValue<string>()));
        var won = stages.Single(s => s!["metadata"]!["isClosed"]!.GetValue<string>() == "true" && s["metadata"]!["probability"]!.GetValue<string>() == "1.0")!;
        var lost = stages.Single(s => s!["metadata"]!["isClosed"]!.GetValue<string>() == "true" && s["metadata"]!["probability"]!.GetValue<string>() == "0.0")!;

        var dealId = await portal.CreateAsync("deals", new { dealname = "Custom", pipeline = pipelineId, dealstage = stages[0]!["id"]!.GetValue<string>() });
        var wonDeal = (await _api.PatchAsync($"/crm/v3/objects/deals/{dealId}", new { properties = new { dealstage = won["id"]!.GetValue<string>() } }, portal.ToolsToken)).Body["properties"]!;
        Assert.Equal("true", wonDeal["hs_is_closed_won"]!.GetValue<string>());
        Assert.Equal("true", wonDeal["hs_is_closed"]!.GetValue<string>());
        Assert.NotNull(wonDeal["closedate"]);

        var lostDeal = (await _api.PatchAsync($"/crm/v3/objects/deals/{dealId}", new { properties = new { dealstage = lost["id"]!.GetValue<string>() } }, portal.ToolsToken)).Body["properties"]!;
        Assert.Equal("false", lostDeal["hs_is_closed_won"]!.GetValue<string>());

        var stage = (await _api.GetAsync($"/crm/v3/pipelines/deals/{pipelineId}/stages/{won["id"]}", portal.ToolsToken)).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("Signed", stage["label"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_stage_must_belong_to_the_deals_pipeline()
    {
        var portal = await _api.NewPortalAsync();
        var response = await _api.PostAsync("/crm/v3/objects/deals", new { properties = new { dealname = "x", pipeline = "default", dealstage = "1233582103" } }, portal.ToolsToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("INVALID_OPTION", response.Body["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("deals")]
    [InlineData("companies")]
    public async Task Custom_properties_can_be_created_and_then_written_and_read(string objectType)
    {
        var portal = await _api.NewPortalAsync();
        var group = objectType == "deals" ? "dealinformation" : "companyinformation";
        var created = (await _api.PostAsync($"/crm/v3/properties/{objectType}", new
        {
            name = "q2c_balance_due",
            label = "Balance due (QuoteToCash)",
            type = "number",
            fieldType = "number",
            groupName = group,
        }, portal.ToolsToken)).Expect(HttpStatusCode.Created).Body;
        Assert.Equal("q2c_balance_due", created["name"]!.GetValue<string>());
        Assert.False(created["hubspotDefined"]!.GetValue<bool>());

        var duplicate = await _api.PostAsync($"/crm/v3/properties/{objectType}", new { name = "q2c_balance_due", label = "Again", type = "number", fieldType = "number", groupName = group }, portal.ToolsToken);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal("OBJECT_ALREADY_EXISTS", duplicate.Body["category"]!.GetValue<string>());

        var id = objectType == "deals" ? await portal.CreateDealAsync() : await portal.CreateCompanyAsync();
        var written = (await _api.PatchAsync($"/crm/v3/objects/{objectType}/{id}", new { properties = new { q2c_balance_due = "4500.50" } }, portal.ToolsToken))
            .Expect(HttpStatusCode.OK).Body;
        Assert.Equal("4500.50", written["properties"]!["q2c_balance_due"]!.GetValue<string>());
        var notNumber = await _api.PatchAsync($"/crm/v3/objects/{objectType}/{id}", new { properties = new { q2c_balance_due = "lots" } }, portal.ToolsToken);
        Assert.Equal(HttpStatusCode.BadRequest, notNumber.Status);

        var fetched = (await _api.GetAsync($"/crm/v3/properties/{objectType}/q2c_balance_due", portal.ToolsToken)).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("number", fetched["type"]!.GetValue<string>());
        var all = (await _api.GetAsync($"/crm/v3/properties/{objectType}", portal.ToolsToken)).Body["results"]!.AsArray();
        Assert.Contains(all, p => p!["name"]!.GetValue<string>() == "q2c_balance_due");
    }

    [Fact]
    public async Task Property_definitions_are_validated()
    {
        var portal = await _api.NewPortalAsync();
        var noGroup = await _api.PostAsync("/crm/v3/properties/deals", new { name = "q2c_x", label = "X", type = "string", fieldType = "text", groupName = "nope" }, portal.ToolsToken);
        var badType = await _api.PostAsync("/crm/v3/properties/deals", new { name = "q2c_x", label = "X", type = "money", fieldType = "text", groupName = "dealinformation" }, portal.ToolsToken);
        var noOptions = await _api.PostAsync("/crm/v3/properties/deals", new { name = "q2c_x", label = "X", type = "enumeration", fieldType = "select", groupName = "dealinformation" }, portal.ToolsToken);

        Assert.Equal(HttpStatusCode.BadRequest, noGroup.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badType.Status);
        Assert.Equal(HttpStatusCode.BadRequest, noOptions.Status);
    }
}
