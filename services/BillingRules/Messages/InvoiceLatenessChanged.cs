using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Messages;

/// <summary>
/// One of a flow's invoices became more than 30 days late, or stopped being (paid, credited, voided). The customer's
/// standing record (<see cref="Consumers.AccountStandingConsumer"/>) decides whether the customer's standing changes.
/// </summary>
public sealed record InvoiceLatenessChanged : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    public required Guid InvoiceId { get; init; }
    public string? DocNumber { get; init; }
    public required Guid CustomerId { get; init; }
    /// <summary>The customer's CRM company as "source:externalId".</summary>
    public required string CrmCompanyRef { get; init; }
    public required bool PastDue30 { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}
