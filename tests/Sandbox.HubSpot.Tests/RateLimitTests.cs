using System.Net;
using Microsoft.Extensions.Time.Testing;
using QuoteToCash.Sandbox.HubSpot.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.HubSpot.Tests;

/// <summary>The burst limit scaled down to 5 per 10 s, on a fake clock.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly HubSpotSandboxFactory _factory;

    public RateLimitTests()
    {
        _factory = new HubSpotSandboxFactory
        {
            Time = _clock,
            Settings = new Dictionary<string, string?>
            {
            ["HubSpot:RateLimit:BurstLimit"] = "5",
            ["HubSpot:RateLimit:BurstWindowMs"] = "10000",
            ["HubSpot:RateLimit:DailyLimit"] = "8",
            ["HubSpot:RateLimit:SearchPerSecond"] = "2",
            },
        };
    }

    [Fact]
    public async Task The_sixth_request_in_ten_seconds_gets_429_with_hubspots_body_and_headers_until_the_window_rolls()
    {
        var api = _factory.Api;
        var portal = await api.NewPortalAsync();

        for (var i = 1; i <= 5; i++)
        {
            var ok = (await api.GetAsync("/crm/v3/objects/companies", portal.ToolsToken)).Expect(HttpStatusCode.OK);
            Assert.Equal("5", ok.Header("X-HubSpot-RateLimit-Max"));
            Assert.Equal((5 - i).ToString(), ok.Header("X-HubSpot-RateLimit-Remaining"));
            Assert.Equal("10000", ok.Header("X-HubSpot-RateLimit-Interval-Milliseconds"));
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        var limited = await api.GetAsync("/crm/v3/objects/companies", portal.ToolsToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal("0", limited.Header("X-HubSpot-RateLimit-Remaining"));
        Assert.Equal("error", limited.Body["status"]!.GetValue<string>());
        Assert.Equal("RATE_LIMIT", limited.Body["errorType"]!.GetValue<string>());
        Assert.Equal("TEN_SECONDLY_ROLLING", limited.Body["policyName"]!.GetValue<string>());

        // Another app of the same portal has its own bucket.
        var platform = await portal.CreateAppAsync("platform", null);
        (await api.GetAsync("/crm/v3/objects/companies", platform["accessToken"]!.GetValue<string>())).Expect(HttpStatusCode.OK);

        // Six seconds later the first request has left the rolling window.
        _clock.Advance(TimeSpan.FromSeconds(6));
        (await api.GetAsync("/crm/v3/objects/companies", portal.ToolsToken)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_daily_limit_is_reported_and_enforced()
    {
        var api = _factory.Api;
        var portal = await api.NewPortalAsync();
        for (var i = 0; i < 8; i++)
        {
            var ok = (await api.GetAsync("/crm/v3/objects/deals", portal.ToolsToken)).Expect(HttpStatusCode.OK);
            Assert.Equal((7 - i).ToString(), ok.Header("X-HubSpot-RateLimit-Daily-Remaining"));
            _clock.Advance(TimeSpan.FromSeconds(5));
        }

        var limited = await api.GetAsync("/crm/v3/objects/deals", portal.ToolsToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal("DAILY", limited.Body["policyName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_has_its_own_per_second_limit()
    {
        var api = _factory.Api;
        var portal = await api.NewPortalAsync();
        (await api.PostAsync("/crm/v3/objects/deals/search", new { }, portal.ToolsToken)).Expect(HttpStatusCode.OK);
        (await api.PostAsync("/crm/v3/objects/deals/search", new { }, portal.ToolsToken)).Expect(HttpStatusCode.OK);

        var limited = await api.PostAsync("/crm/v3/objects/deals/search", new { }, portal.ToolsToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal("You have reached your secondly limit.", limited.Body["message"]!.GetValue<string>());
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
}
