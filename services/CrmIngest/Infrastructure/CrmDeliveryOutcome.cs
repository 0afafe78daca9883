namespace QuoteToCash.CrmIngest.Infrastructure;

/// <summary>
/// What processing made of one event of a delivery. One document per event (a re-delivered event overwrites its own),
/// so events of the same delivery processed at the same time never conflict over one record.
/// </summary>
public sealed class CrmDeliveryOutcome
{
    public const string CollectionName = "crm-delivery-outcomes";

    public string DeliveryId { get; set; } = string.Empty;
    public string TenantId { get; set; } = string.Empty;
    public string EventIdentity { get; set; } = string.Empty;
    /// <summary>Processed, Refused, Failed or Ignored.</summary>
    public string Status { get; set; } = string.Empty;
    public string? Note { get; set; }
    public List<ProducedEvent> Produced { get; set; } = [];
    public List<RefusedDeal> Refused { get; set; } = [];
    public DateTime Processed { get; set; }

    public static string KeyOf(string deliveryId, string eventIdentity) =>
        QuoteToCash.Contracts.DeterministicId.Create("crm-delivery-outcome", deliveryId, eventIdentity).ToString("N");
}
