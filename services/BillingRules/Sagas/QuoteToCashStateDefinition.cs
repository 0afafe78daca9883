using MassTransit;

namespace QuoteToCash.BillingRules.Sagas;

/// <summary>The saga's endpoint. Retries, the inbox/outbox and the saga repository come from the shared messaging set-up.</summary>
public sealed class QuoteToCashStateDefinition : SagaDefinition<QuoteToCashState>
{
    public QuoteToCashStateDefinition() => ConcurrentMessageLimit = 16;
}
