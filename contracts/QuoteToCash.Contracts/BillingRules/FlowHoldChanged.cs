namespace QuoteToCash.Contracts.BillingRules;

/// <summary>
/// A flow was put on hold, or its hold was lifted (<see cref="Hold"/> null). The exception queue shows held flows
/// beside QuickBooks' refusals, so finance works both from one place.
/// </summary>
public sealed record FlowHoldChanged : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required string SourceSystem { get; init; }
    public required string ExternalDealId { get; init; }
    /// <summary>MissingMapping, ClosedBooks, PostingFailure, Currency, DealReopened, DealLostAfterInvoicing; null when lifted.</summary>
    public string? Hold { get; init; }
    /// <summary>What holds it, in finance's words (e.g. "no QuickBooks item is mapped for product 'Widget'").</summary>
    public IReadOnlyList<string> Details { get; init; } = [];
    public required DateTimeOffset ChangedAt { get; init; }
}
