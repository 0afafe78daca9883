namespace QuoteToCash.CrmIngest.Infrastructure;

/// <summary>A delivery's raw body, exactly as the CRM sent it, kept apart from its record and removed first by retention.</summary>
public sealed class CrmDeliveryBody
{
    public const string CollectionName = "crm-delivery-bodies";

    public string DeliveryId { get; set; } = string.Empty;
    public string TenantId { get; set; } = string.Empty;
    public DateTime Received { get; set; }
    public string Body { get; set; } = string.Empty;
}
