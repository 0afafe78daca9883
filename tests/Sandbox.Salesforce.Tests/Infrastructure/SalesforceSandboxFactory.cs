using QuoteToCash.Testing;

namespace QuoteToCash.Sandbox.Salesforce.Tests.Infrastructure;

/// <summary>The sandbox in process, with delivery timing compressed so retries take milliseconds.</summary>
public sealed class SalesforceSandboxFactory() : SandboxFactory<Program>(CompressedTimings)
{
    private static readonly Dictionary<string, string?> CompressedTimings = new()
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
}
