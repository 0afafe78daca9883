namespace QuoteToCash.Contracts.CrmIngest;

/// <summary>A deal reached its tenant's billing trigger in the CRM.</summary>
public sealed record DealWon : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    /// <summary>"hubspot", "salesforce" or the name a generic-ingest caller gives.</summary>
    public required string SourceSystem { get; init; }
    public required string ExternalDealId { get; init; }
    public required string DealName { get; init; }
    public required CustomerSnapshot Customer { get; init; }
    public IReadOnlyList<DealLine> Lines { get; init; } = [];
    /// <summary>ISO 4217.</summary>
    public required string Currency { get; init; }
    public decimal Amount { get; init; }
    public BillingModel BillingModel { get; init; } = BillingModel.FixedFee;
    public IReadOnlyDictionary<string, string> BillingParameters { get; init; } = new Dictionary<string, string>();
    /// <summary>The validated billing terms, with the tenant's defaults applied; the model equals <see cref="BillingModel"/>.</summary>
    public BillingTerms? Billing { get; init; }
    public string? PaymentTerms { get; init; }
    public string? BusinessUnit { get; init; }
    public string? Region { get; init; }
    /// <summary>
    /// The customer segment the CRM gives the deal (HubSpot deal property <c>q2c_segment</c>, Salesforce Opportunity field
    /// <c>Q2C_Segment__c</c>, or the generic API's <c>segment</c>), e.g. "Enterprise"; null when the deal has none.
    /// </summary>
    public string? Segment { get; init; }
    public string? OwnerEmail { get; init; }
    public required DateTimeOffset WonAt { get; init; }
}
