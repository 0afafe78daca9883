using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace QuoteToCash.Sandbox.Salesforce.Tests.Infrastructure;

/// <summary>The sandbox in process, with delivery timing compressed so retries take milliseconds.</summary>
public sealed class SalesforceSandboxFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Salesforce:InstanceUrl"] = "http://127.0.0.1:8093",
        ["Salesforce:Query:BatchSize"] = "50",
        ["Salesforce:OutboundMessages:FlushIntervalMs"] = "100",
        ["Salesforce:OutboundMessages:RetryBaseDelayMs"] = "50",
        ["Salesforce:OutboundMessages:RetryMaxDelayMs"] = "400",
        ["Salesforce:OutboundMessages:TimeoutMs"] = "3000",
        ["Salesforce:ChangeEvents:RetryBaseDelayMs"] = "50",
        ["Salesforce:ChangeEvents:RetryMaxDelayMs"] = "400",
        ["Salesforce:ChangeEvents:MaxRetries"] = "3",
        ["Salesforce:ChangeEvents:TimeoutMs"] = "3000",
    };

    public SalesforceClient Api => new(CreateClient());

    /// <summary>Settings on top of the compressed defaults; set before the first request.</summary>
    public IReadOnlyDictionary<string, string?> Settings
    {
        init
        {
            foreach (var (key, setting) in value)
                _settings[key] = setting;
        }
    }

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
