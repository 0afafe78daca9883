namespace QuoteToCash.CrmIngest.Tests.Integration;

/// <summary>
/// Tests that make the HubSpot intake count rejections run one after another: the rejection counter is process-wide,
/// so a test listening to it would otherwise see another test's refusals.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WebhookMetricsCollection
{
    public const string Name = "CRM webhook metrics";
}
