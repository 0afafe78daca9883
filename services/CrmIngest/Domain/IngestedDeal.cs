namespace QuoteToCash.CrmIngest.Domain;

/// <summary>A deal as crm-ingest received it, keyed by its flow ID. The payload hash makes a re-delivery a no-op.</summary>
public sealed class IngestedDeal
{
    public const string CollectionName = "deals";

    public Guid FlowId { get; set; }
    public string TenantId { get; set; } = string.Empty;
    public string SourceSystem { get; set; } = string.Empty;
    public string ExternalDealId { get; set; } = string.Empty;
    public string DealName { get; set; } = string.Empty;
    public string Currency { get; set; } = string.Empty;
    public decimal Amount { get; set; }
    public string PayloadHash { get; set; } = string.Empty;
    public string Payload { get; set; } = string.Empty;
    public DateTime FirstReceived { get; set; }
    public DateTime LastReceived { get; set; }
    public int Deliveries { get; set; }
    public int Published { get; set; }
}
