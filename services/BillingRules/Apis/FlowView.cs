using QuoteToCash.BillingRules.Sagas;

namespace QuoteToCash.BillingRules.Apis;

/// <summary>One deal's quote-to-cash flow as the API shows it: the process facts, without storage or saga internals.</summary>
public sealed record FlowView(
    Guid FlowId,
    string TenantId,
    string CurrentState,
    string SourceSystem,
    string ExternalDealId,
    string DealName,
    string CustomerExternalId,
    decimal Amount,
    string Currency,
    string BillingModel,
    DateTime WonAt,
    Guid? CustomerId,
    string? CustomerDisplayName,
    IReadOnlyList<string> CustomerReviewReasons,
    DateTime? CustomerReadyAt,
    DateTime? CancelledAt,
    DateTime Updated,
    int RepeatedWins)
{
    public static FlowView From(QuoteToCashState flow) => new(
        flow.CorrelationId, flow.TenantId, flow.CurrentState, flow.SourceSystem, flow.ExternalDealId, flow.DealName,
        flow.CustomerExternalId, flow.Amount, flow.Currency, flow.BillingModel, flow.WonAt, flow.CustomerId,
        flow.CustomerDisplayName, flow.CustomerReviewReasons.ToList(), flow.CustomerReadyAt, flow.CancelledAt, flow.Updated,
        flow.RepeatedWins);
}
