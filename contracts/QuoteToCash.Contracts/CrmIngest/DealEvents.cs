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
    public string? PaymentTerms { get; init; }
    public string? BusinessUnit { get; init; }
    public string? Region { get; init; }
    public string? OwnerEmail { get; init; }
    public required DateTimeOffset WonAt { get; init; }
}

/// <summary>A deal that was won earlier changed (amount, lines, dates) or was expanded.</summary>
public sealed record DealChanged : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string SourceSystem { get; init; }
    public required string ExternalDealId { get; init; }
    public IReadOnlyList<DealLine> Lines { get; init; } = [];
    public decimal Amount { get; init; }
    public bool IsExpansion { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}

/// <summary>A won deal left the won stage.</summary>
public sealed record DealLost : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string ExternalDealId { get; init; }
    public required DateTimeOffset LostAt { get; init; }
}

/// <summary>
/// crm-ingest's own command to itself: one CRM event, taken in and stored, to be turned into normalized
/// events (fetching the object's current state from the CRM first).
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

/// <summary>The CRM changed a company (name, domain, addresses, contacts). FlowId is the customer's own flow: (tenant, source, "company:" + ID).</summary>
public sealed record CustomerChangedInCrm : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string SourceSystem { get; init; }
    public required CustomerSnapshot Customer { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}

/// <summary>A deal that had reached its billing trigger was moved back to an open stage.</summary>
public sealed record DealReopened : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string SourceSystem { get; init; }
    public required string ExternalDealId { get; init; }
    public required DateTimeOffset ReopenedAt { get; init; }
}

/// <summary>The CRM (or a project tool) reports a billing milestone of a deal as reached.</summary>
public sealed record MilestoneReached : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string SourceSystem { get; init; }
    public required string ExternalDealId { get; init; }
    public required string MilestoneId { get; init; }
    public required string Name { get; init; }
    /// <summary>Share of the contract value this milestone bills (0–100), when the milestone is a percentage.</summary>
    public decimal? Percent { get; init; }
    /// <summary>Fixed amount this milestone bills, when it is an amount.</summary>
    public decimal? Amount { get; init; }
    public required DateTimeOffset ReachedAt { get; init; }
}

/// <summary>Time worked on a deal's project, for time-and-materials and retainer billing.</summary>
public sealed record TimeEntryLogged : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string SourceSystem { get; init; }
    public required string ExternalDealId { get; init; }
    public required string EntryId { get; init; }
    public required string Person { get; init; }
    public required DateOnly Date { get; init; }
    public decimal Hours { get; init; }
    public bool Billable { get; init; }
    /// <summary>Hourly rate when the source knows it; otherwise the rate card decides.</summary>
    public decimal? Rate { get; init; }
    public string? Description { get; init; }
}
