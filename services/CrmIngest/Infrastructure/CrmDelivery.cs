namespace QuoteToCash.CrmIngest.Infrastructure;

/// <summary>Everything a CRM delivered, as received: the operator's answer to "did the CRM tell us?".</summary>
public sealed class CrmDelivery
{
    public const string CollectionName = "crm-deliveries";

    public string DeliveryId { get; set; } = string.Empty;
    public string TenantId { get; set; } = string.Empty;
    /// <summary>"hubspot", "salesforce-outbound", "salesforce-events".</summary>
    public string Source { get; set; } = string.Empty;
    public DateTime Received { get; set; }
    public string SignatureVerdict { get; set; } = string.Empty;
    public int Events { get; set; }
    public int Duplicates { get; set; }
    public int Echoes { get; set; }
    /// <summary>Received, Processed, Refused (a won deal's billing terms were refused; see <see cref="Refused"/>), Failed, Ignored, Duplicate.</summary>
    public string Status { get; set; } = "Received";
    public string? Error { get; set; }
    public List<string> ObjectIds { get; set; } = [];
    public List<string> EventIdentities { get; set; } = [];
    public List<ProducedEvent> Produced { get; set; } = [];
    /// <summary>Won deals of this delivery that were not announced, with the reasons; a later change that fixes the terms is taken in as usual.</summary>
    public List<RefusedDeal> Refused { get; set; } = [];
    public string Body { get; set; } = string.Empty;
}
