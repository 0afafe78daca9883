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

    private readonly TimeProvider? _time;

    public HubSpotClient Api => new(CreateClient());

    public HubSpotSandboxFactory()
        : this(null, null)
    {
    }

    public HubSpotSandboxFactory(IReadOnlyDictionary<string, string?>? overrides, TimeProvider? time)
    {
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            _settings[key] = value;
        _time = time;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
            builder.UseSetting(key, value);
        builder.UseEnvironment("Production");
        if (_time is not null)
            builder.ConfigureServices(services => services.AddSingleton(_time));
    }
}
