using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.HubSpot.Tests.Infrastructure;
using QuoteToCash.Testing;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.Sandbox.HubSpot.Tests;

public sealed class WebhookTests(HubSpotSandboxFactory factory) : IClassFixture<HubSpotSandboxFactory>
{
    private readonly HubSpotClient _api = factory.Api;

    private static string V3(string secret, string method, string uri, string body, string timestamp) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(method + uri + body + timestamp)));

    private static string V1(string secret, string body) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret + body)));

    /// <summary>The sandbox logs an attempt after the receiver answered it, so wait for the log to catch up.</summary>
    private async Task<JsonArray> DeliveriesAsync(string query, int count)
    {
        JsonArray deliveries = [];
        Assert.True(await Eventually(async () => (deliveries = (await _api.GetAsync($"/_sandbox/webhooks/deliveries?{query}", null)).Body.AsArray()).Count >= count,
            TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50)), $"Fewer than {count} deliveries logged for {query}.");
        return deliveries;
    }

    [Fact]
    public async Task Events_are_signed_with_v3_over_method_uri_body_and_millisecond_timestamp()
    {
        await using var receiver = await WebhookEvents.StartReceiverAsync();
        var portal = await _api.NewPortalAsync();
        var app = await portal.CreateAppAsync("platform", receiver.Url, "deal.creation");
        var secret = app["clientSecret"]!.GetValue<string>();

        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var dealId = await portal.CreateDealAsync();
        var request = (await receiver.WaitForEventsAsync(e => e["subscriptionType"]!.GetValue<string>() == "deal.creation", 1, "deal.creation"))[0];

        var timestamp = request.Header("X-HubSpot-Request-Timestamp");
        Assert.InRange(long.Parse(timestamp), before - 1000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000);
        Assert.Equal(V3(secret, "POST", receiver.Url, request.Body, timestamp), request.Header("X-HubSpot-Signature-v3"));
        Assert.Equal(V1(secret, request.Body), request.Header("X-HubSpot-Signature"));
        Assert.Equal("v1", request.Header("X-HubSpot-Signature-Version"));
        Assert.StartsWith("application/json", request.Header("Content-Type"));

        var e = request.Events.Single()!;
        Assert.Equal(long.Parse(dealId), e["objectId"]!.GetValue<long>());
        Assert.Equal(long.Parse(portal.PortalId), e["portalId"]!.GetValue<long>());
        Assert.Equal(long.Parse(app["appId"]!.GetValue<string>()), e["appId"]!.GetValue<long>());
        Assert.Equal(app["subscriptionIds"]!["deal.creation"]!.GetValue<long>(), e["subscriptionId"]!.GetValue<long>());
        Assert.Equal(0, e["attemptNumber"]!.GetValue<int>());
        Assert.True(e["eventId"]!.GetValue<long>() > 0);
        Assert.InRange(e["occurredAt"]!.GetValue<long>(), before - 1000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000);
    }

    [Fact]
    public async Task Property_changes_are_sent_only_for_subscribed_properties_with_the_writing_apps_source()
    {
        await using var receiver = await WebhookEvents.StartReceiverAsync();
        var portal = await _api.NewPortalAsync();
        var app = await portal.CreateAppAsync("platform", receiver.Url, "deal.propertyChange:dealstage", "company.propertyChange:name");
        var platformToken = app["accessToken"]!.GetValue<string>();

        var dealId = await portal.CreateDealAsync();
        await _api.PatchAsync($"/crm/v3/objects/deals/{dealId}", new { properties = new { amount = "99", dealstage = "closedwon" } }, portal.ToolsToken);
        var companyId = await portal.CreateCompanyAsync("Echo Ltd");
        await _api.PatchAsync($"/crm/v3/objects/companies/{companyId}", new { properties = new { name = "Echo Limited" } }, platformToken);

        await receiver.WaitForEventsAsync(e => e["propertyValue"]?.GetValue<string>() == "Echo Limited", 1, "the platform's own company rename");
        var events = receiver.AllEvents.ToList();
        Assert.DoesNotContain(events, e => e["propertyName"]?.GetValue<string>() == "amount");

        var stages = events.Where(e => e["subscriptionType"]!.GetValue<string>() == "deal.propertyChange").ToList();
        Assert.Equal(["appointmentscheduled", "closedwon"], stages.Select(e => e["propertyValue"]!.GetValue<string>()).Order());
        Assert.All(stages, e => Assert.Equal("dealstage", e["propertyName"]!.GetValue<string>()));
        Assert.All(stages, e => Assert.Equal("INTEGRATION", e["changeSource"]!.GetValue<string>()));
        Assert.All(stages, e => Assert.Equal(portal.ToolsAppId, e["sourceId"]!.GetValue<string>()));

        var echo = events.Single(e => e["propertyValue"]?.GetValue<string>() == "Echo Limited");
        Assert.Equal(app["appId"]!.GetValue<string>(), echo["sourceId"]!.GetValue<string>());
        Assert.Equal(long.Parse(companyId), echo["objectId"]!.GetValue<long>());
    }

    [Fact]
    public async Task Up_to_100_events_go_in_one_request()
    {
        await using var receiver = await WebhookEvents.StartReceiverAsync();
        var portal = await _api.NewPortalAsync();
        await portal.CreateAppAsync("platform", receiver.Url, "company.creation");

        foreach (var size in new[] { 100, 50 })
        {
            var inputs = Enumerable.Range(0, size).Select(i => new { properties = new { name = $"Batch company {size}-{i}" } }).ToArray();
            (await _api.PostAsync("/crm/v3/objects/companies/batch/create", new { inputs }, portal.ToolsToken)).Expect(HttpStatusCode.Created);
        }

        var requests = await receiver.WaitForAsync(r => r.Sum(x => x.Events.Count) >= 150, "150 company.creation events");
        Assert.All(requests, r => Assert.InRange(r.Events.Count, 1, 100));
        Assert.InRange(requests.Count, 2, 4);
        Assert.Contains(requests, r => r.Events.Count > 50);
        Assert.Equal(150, receiver.AllEvents.Select(e => e["objectId"]!.GetValue<long>()).Distinct().Count());
    }

    [Fact]
    public async Task Failed_deliveries_are_retried_with_a_rising_attempt_number_and_fresh_signatures()
    {
        await using var receiver = await WebhookEvents.StartReceiverAsync();
        receiver.Respond = n => (n < 2 ? 503 : 200, null);
        var portal = await _api.NewPortalAsync();
        var app = await portal.CreateAppAsync("platform", receiver.Url, "deal.creation");
        var secret = app["clientSecret"]!.GetValue<string>();

        await portal.CreateDealAsync();
        var requests = await receiver.WaitForAsync(r => r.Count >= 3, "three attempts");

        Assert.Equal([0, 1, 2], requests.Select(r => r.Events.Single()!["attemptNumber"]!.GetValue<int>()));
        Assert.Single(requests.Select(r => r.Events.Single()!["eventId"]!.GetValue<long>()).Distinct());
        Assert.All(requests, r => Assert.Equal(V3(secret, "POST", receiver.Url, r.Body, r.Header("X-HubSpot-Request-Timestamp")), r.Header("X-HubSpot-Signature-v3")));

        var deliveries = await DeliveriesAsync($"appId={app["appId"]}", 3);
        Assert.Equal([503, 503, 200], deliveries.Select(d => d!["status"]!.GetValue<int>()));
        Assert.Equal([0, 1, 2], deliveries.Select(d => d!["attemptNumber"]!.GetValue<int>()));
        Assert.Equal(receiver.Url, deliveries[0]!["url"]!.GetValue<string>());
        Assert.Equal(requests[0].Body, deliveries[0]!["body"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(deliveries[0]!["headers"]!["X-HubSpot-Signature-v3"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Retries_stop_after_the_configured_maximum()
    {
        await using var receiver = await WebhookEvents.StartReceiverAsync();
        receiver.Respond = _ => (500, null);
        var portal = await _api.NewPortalAsync();
        await portal.CreateAppAsync("platform", receiver.Url, "deal.creation");

        await portal.CreateDealAsync();
        await receiver.WaitForAsync(r => r.Count >= 4, "first attempt and three retries");
        await Task.Delay(1500, TestContext.Current.CancellationToken);

        Assert.Equal(4, receiver.Requests.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    public async Task Client_errors_that_hubspot_does_not_retry_are_not_retried(int status)
    {
        await using var receiver = await WebhookEvents.StartReceiverAsync();
        receiver.Respond = _ => (status, null);
        var portal = await _api.NewPortalAsync();
        await portal.CreateAppAsync("platform", receiver.Url, "deal.creation");

        await portal.CreateDealAsync();
        await receiver.WaitForAsync(r => r.Count >= 1, "the first attempt");
        await Task.Delay(1000, TestContext.Current.CancellationToken);

        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Deletion_association_and_creation_time_property_events_are_sent()
    {
        await using var receiver = await WebhookEvents.StartReceiverAsync();
        var portal = await _api.NewPortalAsync();
        await portal.CreateAppAsync("platform", receiver.Url, "deal.deletion", "deal.associationChange", "deal.propertyChange:dealname");

        var companyId = await portal.CreateCompanyAsync();
        var dealId = await portal.CreateDealAsync("Created with a name", companyId: companyId);
        await _api.DeleteAsync($"/crm/v3/objects/deals/{dealId}", portal.ToolsToken);

        await receiver.WaitForEventsAsync(e => e["subscriptionType"]!.GetValue<string>() == "deal.deletion", 1, "deal.deletion");
        var events = receiver.AllEvents.ToList();
        var deletion = events.Single(e => e["subscriptionType"]!.GetValue<string>() == "deal.deletion");
        Assert.Equal(long.Parse(dealId), deletion["objectId"]!.GetValue<long>());
        Assert.Equal("DELETED", deletion["changeFlag"]!.GetValue<string>());

        var association = events.First(e => e["subscriptionType"]!.GetValue<string>() == "deal.associationChange");
        Assert.Equal("DEAL_TO_COMPANY", association["associationType"]!.GetValue<string>());
        Assert.Equal(long.Parse(dealId), association["fromObjectId"]!.GetValue<long>());
        Assert.Equal(long.Parse(companyId), association["toObjectId"]!.GetValue<long>());
        Assert.False(association["associationRemoved"]!.GetValue<bool>());

        Assert.Contains(events, e => e["propertyName"]?.GetValue<string>() == "dealname" && e["propertyValue"]!.GetValue<string>() == "Created with a name");
    }

    [Fact]
    public async Task Changing_the_target_url_sends_later_events_there_and_apps_without_a_url_get_nothing()
    {
        await using var first = await WebhookEvents.StartReceiverAsync();
        await using var second = await WebhookEvents.StartReceiverAsync();
        var portal = await _api.NewPortalAsync();
        var app = await portal.CreateAppAsync("platform", first.Url, "company.creation");
        await portal.CreateAppAsync("quiet", null, "company.creation");

        await portal.CreateCompanyAsync("First");
        await first.WaitForEventsAsync(_ => true, 1, "first event");
        (await _api.PutAsync($"/_sandbox/portals/{portal.PortalId}/apps/{app["appId"]}", new { targetUrl = second.Url }))
            .Expect(HttpStatusCode.OK);
        await portal.CreateCompanyAsync("Second");
        await second.WaitForEventsAsync(_ => true, 1, "event at the new URL");

        Assert.Single(first.AllEvents);
        var deliveries = await DeliveriesAsync($"portalId={portal.PortalId}", 2);
        Assert.All(deliveries, d => Assert.Equal(app["appId"]!.GetValue<string>(), d!["appId"]!.GetValue<string>()));
    }
}
