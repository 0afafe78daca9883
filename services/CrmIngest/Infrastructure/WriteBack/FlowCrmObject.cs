namespace QuoteToCash.CrmIngest.Infrastructure.WriteBack;

/// <summary>
/// Which CRM object a flow's invoices are written back to, recorded from DealWon ("flow-crm-objects", key = flowId "D").
/// Kept by the write-back itself so that the ingest side's own records stay untouched.
/// </summary>
public sealed class FlowCrmObject
{
    public const string CollectionName = "flow-crm-objects";

    public Guid FlowId { get; set; }
    public string TenantId { get; set; } = string.Empty;
    /// <summary>"hubspot", "salesforce" or a generic-ingest source name (nothing is written back for those).</summary>
    public string SourceSystem { get; set; } = string.Empty;
    public string ExternalDealId { get; set; } = string.Empty;
    public string? CompanyExternalId { get; set; }
    public DateTime Recorded { get; set; }
}
