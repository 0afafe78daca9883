namespace QuoteToCash.Contracts.CrmIngest;

/// <summary>The CRM changed a company (name, domain, addresses, contacts). FlowId is the customer's own flow: (tenant, source, "company:" + ID).</summary>
public sealed record CustomerChangedInCrm : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string SourceSystem { get; init; }
    public required CustomerSnapshot Customer { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}
