namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>
/// A customer's standing changed ("Good" or "Past due 30+"). Not an <see cref="IFlowMessage"/>: standing
/// belongs to the customer across all of its flows (deals), not to one flow, so there is no single FlowId.
/// </summary>
public sealed record AccountStandingChanged
{
    public required string TenantId { get; init; }
    public required Guid CustomerId { get; init; }
    /// <summary>The customer's CRM company as "source:externalId", e.g. "hubspot:9100000001" or "salesforce:001…".</summary>
    public required string CrmCompanyRef { get; init; }
    /// <summary>"Good" or "Past due 30+".</summary>
    public required string Standing { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}
