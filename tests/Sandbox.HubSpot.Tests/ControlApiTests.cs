using System.Net;
using QuoteToCash.Sandbox.HubSpot.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.HubSpot.Tests;

public sealed class ControlApiTests(HubSpotSandboxFactory factory) : IClassFixture<HubSpotSandboxFactory>
{
    private readonly HubSpotClient _api = factory.Api;

    [Fact]
    public async Task Creating_a_portal_is_idempotent_per_name_and_gives_a_numeric_id()
    {
        var name = "acme-" + Guid.NewGuid().ToString("N")[..6];
        var first = (await _api.PostAsync("/_sandbox/portals", new { name })).Expect(HttpStatusCode.Created).Body;
        var second = (await _api.PostAsync("/_sandbox/portals", new { name })).Expect(HttpStatusCode.OK).Body;

        Assert.Matches("^[0-9]+$", first["portalId"]!.GetValue<string>());
        Assert.Equal(first["portalId"]!.GetValue<string>(), second["portalId"]!.GetValue<string>());
        Assert.Equal(name, second["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_app_has_a_token_a_secret_and_its_subscriptions_and_the_same_name_returns_it()
    {
        var portal = await _api.NewPortalAsync();
        var app = await portal.CreateAppAsync("platform", "http://127.0.0.1:9/hooks", "deal.creation", "deal.propertyChange:dealstage", "company.propertyChange:name");
        var again = await portal.CreateAppAsync("platform", null);

        Assert.Matches("^[0-9]+$", app["appId"]!.GetValue<string>());
        Assert.StartsWith("pat-", app["accessToken"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(app["clientSecret"]!.GetValue<string>()));
        Assert.Equal(["deal.creation", "deal.propertyChange:dealstage", "company.propertyChange:name"],
            app["subscriptions"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(app["accessToken"]!.GetValue<string>(), again["accessToken"]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:9/hooks", again["targetUrl"]!.GetValue<string>());
        (await _api.GetAsync("/crm/v3/objects/deals", app["accessToken"]!.GetValue<string>())).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Put_changes_the_target_url_and_subscriptions()
    {
        var portal = await _api.NewPortalAsync();
        var app = await portal.CreateAppAsync("platform", "http://127.0.0.1:9/a", "deal.creation");
        var updated = (await _api.PutAsync($"/_sandbox/portals/{portal.PortalId}/apps/{app["appId"]}",
            new { targetUrl = "http://127.0.0.1:9/b", subscriptions = new[] { "deal.creation", "deal.deletion" } })).Expect(HttpStatusCode.OK).Body;

        Assert.Equal("http://127.0.0.1:9/b", updated["targetUrl"]!.GetValue<string>());
        Assert.Equal(2, updated["subscriptions"]!.AsArray().Count);
        Assert.Equal(app["subscriptionIds"]!["deal.creation"]!.GetValue<long>(), updated["subscriptionIds"]!["deal.creation"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("deal.propertyChange")]
    [InlineData("ticket.creation")]
    [InlineData("deal.creation:dealname")]
    public async Task Unknown_or_incomplete_subscriptions_are_rejected(string subscription)
    {
        var portal = await _api.NewPortalAsync();
        var response = await _api.PostAsync($"/_sandbox/portals/{portal.PortalId}/apps", new { name = "bad", targetUrl = (string?)null, subscriptions = new[] { subscription } });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Fact]
    public async Task A_tools_token_is_stable_per_name()
    {
        var portal = await _api.NewPortalAsync();
        var again = (await _api.PostAsync($"/_sandbox/portals/{portal.PortalId}/tokens", new { name = "tools" })).Body;

        Assert.Equal(portal.ToolsToken, again["accessToken"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reset_forgets_portals_and_tokens()
    {
        await using var isolated = new HubSpotSandboxFactory();
        var api = isolated.Api;
        var portal = await api.NewPortalAsync("demo");
        (await api.GetAsync("/crm/v3/objects/deals", portal.ToolsToken)).Expect(HttpStatusCode.OK);

        (await api.PostAsync("/_sandbox/reset", null)).Expect(HttpStatusCode.NoContent);

        (await api.GetAsync("/crm/v3/objects/deals", portal.ToolsToken)).Expect(HttpStatusCode.Unauthorized);
        var portals = (await api.GetAsync("/_sandbox/portals", null)).Body.AsArray();
        Assert.Empty(portals);
    }
}
