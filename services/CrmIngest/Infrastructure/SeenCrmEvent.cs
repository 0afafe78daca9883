namespace QuoteToCash.CrmIngest.Infrastructure;

/// <summary>An event identity already taken in: a re-delivery is answered 200 and changes nothing.</summary>
public sealed class SeenCrmEvent
{
    public const string CollectionName = "crm-seen-events";

    public string DeliveryId { get; set; } = string.Empty;
    public DateTime Received { get; set; }
}
