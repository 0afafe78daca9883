using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Messages;

/// <summary>A finance user approved or rejected an invoice waiting for approval; the API has checked segregation of duties.</summary>
public sealed record InvoiceApprovalDecided : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
    public required bool Approved { get; init; }
    public required string By { get; init; }
    public string? Note { get; init; }
    public required DateTimeOffset At { get; init; }
}
