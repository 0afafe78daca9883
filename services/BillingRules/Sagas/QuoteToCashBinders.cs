using MassTransit;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.Contracts.MasterData;

namespace QuoteToCash.BillingRules.Sagas;

/// <summary>The steps of <see cref="QuoteToCashStateMachine"/>, each named after what it does to the flow.</summary>
internal static class QuoteToCashBinders
{
    /// <summary>Stamps the flow with the time of its latest change.</summary>
    public static EventActivityBinder<QuoteToCashState, T> Touch<T>(this EventActivityBinder<QuoteToCashState, T> binder, TimeProvider time)
        where T : class =>
        binder.Then(c => c.Saga.Updated = time.GetUtcNow().UtcDateTime);

    public static EventActivityBinder<QuoteToCashState, DealWon> RecordDeal(this EventActivityBinder<QuoteToCashState, DealWon> binder,
        TimeProvider time) =>
        binder.Then(c =>
        {
            var deal = c.Message;
            var saga = c.Saga;
            saga.TenantId = deal.TenantId;
            saga.SourceSystem = deal.SourceSystem;
            saga.ExternalDealId = deal.ExternalDealId;
            saga.DealName = deal.DealName;
            saga.CustomerExternalId = deal.Customer.ExternalId;
            saga.Currency = deal.Currency;
            saga.Amount = deal.Amount;
            saga.BillingModel = deal.BillingModel.ToString();
            saga.WonAt = deal.WonAt.UtcDateTime;
        }).Touch(time);

    /// <summary>Asks master data for the deal's billable customer.</summary>
    public static EventActivityBinder<QuoteToCashState, DealWon> ResolveCustomer(this EventActivityBinder<QuoteToCashState, DealWon> binder) =>
        binder.Publish(c => new ResolveCustomer
        {
            TenantId = c.Message.TenantId,
            FlowId = c.Message.FlowId,
            SourceSystem = c.Message.SourceSystem,
            Customer = c.Message.Customer,
        });

    public static EventActivityBinder<QuoteToCashState, CustomerReady> RecordCustomerReady(
        this EventActivityBinder<QuoteToCashState, CustomerReady> binder, TimeProvider time) =>
        binder.Then(c =>
        {
            c.Saga.CustomerId = c.Message.CustomerId;
            c.Saga.CustomerDisplayName = c.Message.DisplayName;
            c.Saga.CustomerReviewReasons.Clear();
            c.Saga.CustomerReadyAt = time.GetUtcNow().UtcDateTime;
        }).Touch(time);

    public static EventActivityBinder<QuoteToCashState, CustomerNeedsReview> RecordCustomerReview(
        this EventActivityBinder<QuoteToCashState, CustomerNeedsReview> binder, TimeProvider time) =>
        binder.Then(c =>
        {
            c.Saga.CustomerId = c.Message.CustomerId;
            c.Saga.CustomerReviewReasons = c.Message.Reasons.ToList();
        }).Touch(time);
}
