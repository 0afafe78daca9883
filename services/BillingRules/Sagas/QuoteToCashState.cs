using MassTransit;

namespace QuoteToCash.BillingRules.Sagas;

/// <summary>One deal's journey from won to cash (BIL-5). CorrelationId is the deterministic flow ID.</summary>
public sealed class QuoteToCashState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }
    public int Version { get; set; }
    public string CurrentState { get; set; } = string.Empty;

    public string TenantId { get; set; } = string.Empty;
    public string SourceSystem { get; set; } = string.Empty;
    public string ExternalDealId { get; set; } = string.Empty;
    public string DealName { get; set; } = string.Empty;
    public string CustomerExternalId { get; set; } = string.Empty;
    public string Currency { get; set; } = string.Empty;
    public decimal Amount { get; set; }
    public string BillingModel { get; set; } = string.Empty;
    public DateTime WonAt { get; set; }

    public Guid? CustomerId { get; set; }
    public string? CustomerDisplayName { get; set; }
    public List<string> CustomerReviewReasons { get; set; } = [];
    public DateTime? CustomerReadyAt { get; set; }
    public DateTime? CancelledAt { get; set; }
    public DateTime Updated { get; set; }
    /// <summary>Won-deal events seen again after the first (CRM re-deliveries, re-wins).</summary>
    public int RepeatedWins { get; set; }
}
