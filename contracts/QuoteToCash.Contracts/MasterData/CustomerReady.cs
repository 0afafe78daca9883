namespace QuoteToCash.Contracts.MasterData;

/// <summary>The golden customer record for the flow is approved and can be billed.</summary>
public sealed record CustomerReady : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    /// <summary>The immutable golden customer ID.</summary>
    public required Guid CustomerId { get; init; }
    public required string DisplayName { get; init; }
    public string? AccountingCustomerRef { get; init; }
    /// <summary>The customer's own terms, or the tenant's default terms.</summary>
    public string? PaymentTerms { get; init; }
    public string? Currency { get; init; }
    /// <summary>True when the customer is exempt from sales tax (its exemption is recorded in master data).</summary>
    public bool TaxExempt { get; init; }
}
