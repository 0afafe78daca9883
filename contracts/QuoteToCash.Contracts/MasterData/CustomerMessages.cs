namespace QuoteToCash.Contracts.MasterData;

/// <summary>Command to master-data: find or create the golden customer for a deal's customer snapshot.</summary>
public sealed record ResolveCustomer : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string SourceSystem { get; init; }
    public required CustomerSnapshot Customer { get; init; }
}

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

/// <summary>The customer cannot be billed yet (missing fields, suspected duplicate); finance must review it.</summary>
public sealed record CustomerNeedsReview : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid CustomerId { get; init; }
    public required IReadOnlyList<string> Reasons { get; init; }
}
