using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace QuoteToCash.Sandbox.HubSpot.Tests.Infrastructure;

/// <summary>The sandbox in process, with webhook timing compressed so retries take milliseconds.</summary>
public sealed class HubSpotSandboxFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new()
    {
        ["HubSpot:RateLimit:BurstLimit"] = "100000",
        ["HubSpot:RateLimit:SearchPerSecond"] = "0",
        ["HubSpot:Webhooks:FlushIntervalMs"] = "100",
        ["HubSpot:Webhooks:RetryBaseDelayMs"] = "50",
        ["HubSpot:Webhooks:RetryMaxDelayMs"] = "400",
        ["HubSpot:Webhooks:MaxRetries"] = "3",
        ["HubSpot:Webhooks:TimeoutMs"] = "3000",
    };

    public HubSpotClient Api => new(CreateClient());

    /// <summary>Settings on top of the compressed defaults; set before the first request.</summary>
    public IReadOnlyDictionary<string, string?> Settings
    {
        init
        {
            foreach (var (key, setting) in value)
                _settings[key] = setting;
        }
    }

    /// <summary>A clock to use instead of the system one (e.g. a FakeTimeProvider).</summary>
    public TimeProvider? Time { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.UseEnvironment("Production");
        if (Time is not null)
            builder.ConfigureServices(services => services.AddSingleton(Time));
    }
}
