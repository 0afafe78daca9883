namespace QuoteToCash.CrmIngest.Infrastructure;

/// <summary>A tenant's CRM: where its API is, how its webhooks are signed, and who "we" are in it. Secrets are encrypted at rest.</summary>
public sealed class CrmConnection
{
    public const string CollectionName = "crm-connections";

    /// <summary>The Data Protection purpose of the connection's secrets. Changing it makes every stored secret unreadable.</summary>
    public const string ProtectorPurpose = "QuoteToCash.CrmIngest.Secrets.v1";

    public string TenantId { get; set; } = string.Empty;
    /// <summary>"hubspot" or "salesforce".</summary>
    public string Kind { get; set; } = string.Empty;
    /// <summary>HubSpot API base, or the Salesforce instance URL.</summary>
    public string BaseUrl { get; set; } = string.Empty;
    public string ProtectedAccessToken { get; set; } = string.Empty;
    /// <summary>HubSpot: the app's client secret, which signs webhooks.</summary>
    public string? ProtectedClientSecret { get; set; }
    public string? AppId { get; set; }
    public string? PortalId { get; set; }
    /// <summary>Salesforce: the organization whose Outbound Messages are accepted.</summary>
    public string? OrganizationId { get; set; }
    /// <summary>The exact public URL the CRM calls (signatures cover it); when empty it is rebuilt from forwarded headers.</summary>
    public string? PublicWebhookUrl { get; set; }
    /// <summary>Changes made by this integration user (Salesforce) or app (HubSpot sourceId) are our own writes and are not ingested.</summary>
    public string? IntegrationUserId { get; set; }
    /// <summary>Stages ("pipeline:stage" or "stage") that trigger billing instead of the won-stage metadata.</summary>
    public List<string> BillingTriggerStages { get; set; } = [];
    public DateTime Connected { get; set; }
    public DateTime Updated { get; set; }
}

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
    /// <summary>Received, Processed, Failed, Ignored.</summary>
    public string Status { get; set; } = "Received";
    public string? Error { get; set; }
    public List<string> ObjectIds { get; set; } = [];
    public List<string> EventIdentities { get; set; } = [];
    public List<ProducedEvent> Produced { get; set; } = [];
    public string Body { get; set; } = string.Empty;
}

public sealed class ProducedEvent
{
    public string Type { get; set; } = string.Empty;
    public Guid FlowId { get; set; }
}

/// <summary>An event identity already taken in: a re-delivery is answered 200 and changes nothing.</summary>
public sealed class SeenCrmEvent
{
    public const string CollectionName = "crm-seen-events";

    public string DeliveryId { get; set; } = string.Empty;
    public DateTime Received { get; set; }
}

/// <summary>What crm-ingest last announced for a won deal, so the same state is announced once and a change as a change.</summary>
public sealed class AnnouncedDeal
{
    public const string CollectionName = "announced-deals";

    public Guid FlowId { get; set; }
    public string TenantId { get; set; } = string.Empty;
    public string ContentHash { get; set; } = string.Empty;
    public decimal Amount { get; set; }
    public DateTime AnnouncedAt { get; set; }
    public int Changes { get; set; }
    /// <summary>The deal went back to an open stage after being announced; winning it again announces it again.</summary>
    public bool Reopened { get; set; }
}
