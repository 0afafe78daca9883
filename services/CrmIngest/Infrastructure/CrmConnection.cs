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
    /// <summary>HubSpot: the app's client secret, which signs webhooks. Salesforce: the relay secret that signs forwarded change events (required for them).</summary>
    public string? ProtectedClientSecret { get; set; }
    public string? AppId { get; set; }
    /// <summary>HubSpot: the connected portal (hub ID). Webhook events naming any other portal are recorded and refused, never processed.</summary>
    public string? PortalId { get; set; }
    /// <summary>
    /// HubSpot: whether the legacy v1/v2 signatures (no timestamp, so a captured request can be replayed) are accepted.
    /// Off by default: only v3, whose timestamp must be within five minutes, is accepted.
    /// </summary>
    public bool AllowLegacySignatures { get; set; }
    /// <summary>Salesforce: the organization whose Outbound Messages are accepted.</summary>
    public string? OrganizationId { get; set; }
    /// <summary>
    /// Salesforce: SHA-256 (Base64) of the Outbound Message endpoint token (<see cref="Domain.OutboundMessageToken"/>).
    /// The token itself is shown once, when issued; without a hash every Outbound Message is refused.
    /// </summary>
    public string? OutboundMessageTokenHash { get; set; }
    public DateTime? OutboundMessageTokenIssued { get; set; }
    /// <summary>
    /// The exact public URL the CRM calls (signatures cover it); when empty, <c>Webhooks:PublicBaseUrl</c> and the request path
    /// are used, and without that the request's own scheme and host (forwarded values only from trusted proxies).
    /// </summary>
    public string? PublicWebhookUrl { get; set; }
    /// <summary>Changes made by this integration user (Salesforce) or app (HubSpot sourceId) are our own writes and are not ingested.</summary>
    public string? IntegrationUserId { get; set; }
    /// <summary>Stages ("pipeline:stage" or "stage") that trigger billing instead of the won-stage metadata.</summary>
    public List<string> BillingTriggerStages { get; set; } = [];
    public DateTime Connected { get; set; }
    public DateTime Updated { get; set; }
}
