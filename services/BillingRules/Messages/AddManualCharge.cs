using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Messages;

/// <summary>Finance adds lines the contract does not produce (expenses, a change order); they are invoiced after approval.</summary>
public sealed record AddManualCharge : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid ChargeId { get; init; }
    public required IReadOnlyList<ManualLine> Lines { get; init; }
    public DateOnly? BillOn { get; init; }
    public required string Reason { get; init; }
    public required string By { get; init; }
    public required DateTimeOffset At { get; init; }
}

/// <summary>A line typed by a person; <see cref="Product"/> is a product key ("sku:…", "id:…") whose item mapping books it.</summary>
public sealed record ManualLine(string Description, string? Product, decimal Quantity, decimal UnitPrice, decimal DiscountPercent = 0m);
