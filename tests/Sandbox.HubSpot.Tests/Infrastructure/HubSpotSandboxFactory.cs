using QuoteToCash.Testing;

namespace QuoteToCash.Sandbox.HubSpot.Tests.Infrastructure;

/// <summary>The sandbox in process, with webhook timing compressed so retries take milliseconds.</summary>
public sealed class HubSpotSandboxFactory() : SandboxFactory<Program>(CompressedTimings)
{
    private static readonly Dictionary<string, string?> CompressedTimings = new()
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
}
