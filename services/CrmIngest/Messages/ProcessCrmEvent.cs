namespace QuoteToCash.CrmIngest.Messages;

/// <summary>
/// crm-ingest's own command to itself: one CRM event, taken in and stored, to be turned into normalized events
/// (fetching the object's current state from the CRM first). No other service sees it, so it is not a shared contract.
/// </summary>
public sealed record ProcessCrmEvent
{
    public required string TenantId { get; init; }
    public required string DeliveryId { get; init; }
    /// <summary>"hubspot" or "salesforce".</summary>
    public required string Crm { get; init; }
    public required string EventIdentity { get; init; }
    /// <summary>"deal", "company", "contact", "Opportunity", "Account", …</summary>
    public required string ObjectType { get; init; }
    public required string ObjectId { get; init; }
    /// <summary>e.g. "deal.propertyChange", "deal.creation", "outbound-message", "UPDATE".</summary>
    public required string Kind { get; init; }
    public string? PropertyName { get; init; }
    public string? PropertyValue { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
}
