using MassTransit;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.BillingRules;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.Reporting.Domain;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.Reporting.Consumers;

/// <summary>Keeps each flow's timeline: the raw material of cycle-time and cash KPIs.</summary>
public sealed class FlowTimelineConsumer(IUnitOfWork unitOfWork, TimeProvider time) :
    IConsumer<DealWon>, IConsumer<CustomerReady>, IConsumer<CustomerNeedsReview>, IConsumer<InvoicePosted>, IConsumer<PaymentReceived>,
    IConsumer<InvoiceDrafted>, IConsumer<FlowStuck>, IConsumer<CreditMemoPosted>, IConsumer<RefundIssued>
{
    public Task Consume(ConsumeContext<DealWon> context) =>
        Append(context, new TimelineEntry { Event = "DealWon", Amount = context.Message.Amount, Currency = context.Message.Currency }, t =>
        {
            t.DealName = context.Message.DealName;
            t.WonAt = context.Message.WonAt.UtcDateTime;
        });

    public Task Consume(ConsumeContext<CustomerReady> context) =>
        Append(context, new TimelineEntry { Event = "CustomerReady", CustomerId = context.Message.CustomerId, CustomerName = context.Message.DisplayName });

    public Task Consume(ConsumeContext<CustomerNeedsReview> context) =>
        Append(context, new TimelineEntry { Event = "CustomerNeedsReview", CustomerId = context.Message.CustomerId, Reasons = context.Message.Reasons.ToList() });

    public Task Consume(ConsumeContext<InvoicePosted> context) =>
        Append(context, new TimelineEntry
        {
            Event = "InvoicePosted", DocNumber = context.Message.DocNumber, Amount = context.Message.Total, Balance = context.Message.Balance,
        });

    public Task Consume(ConsumeContext<PaymentReceived> context) =>
        Append(context, new TimelineEntry
        {
            Event = "PaymentReceived", Amount = context.Message.Amount, Currency = context.Message.Currency, Balance = context.Message.RemainingBalance,
        });

    public Task Consume(ConsumeContext<InvoiceDrafted> context) =>
        Append(context, new TimelineEntry
        {
            Event = context.Message.RequiresApproval ? "InvoiceDraftedForApproval" : "InvoiceDrafted", InvoiceId = context.Message.InvoiceId,
            Amount = context.Message.Total, Currency = context.Message.Currency, DueDate = context.Message.DueDate,
        });

    public Task Consume(ConsumeContext<FlowStuck> context) =>
        Append(context, new TimelineEntry
        {
            Event = "FlowStuck", Reasons = [$"in {context.Message.State} since {context.Message.Since:u}, expected within {context.Message.ExpectedWithin}"],
        });

    /// <summary>Credits (and write-offs) are what the billing error rate counts.</summary>
    public Task Consume(ConsumeContext<CreditMemoPosted> context) =>
        Append(context, new TimelineEntry
        {
            Event = context.Message.WriteOff ? "WriteOffPosted" : "CreditMemoPosted", InvoiceId = context.Message.InvoiceId, DocNumber = context.Message.DocNumber,
            Amount = context.Message.Amount, Balance = context.Message.InvoiceBalance,
        });

    public Task Consume(ConsumeContext<RefundIssued> context) =>
        Append(context, new TimelineEntry { Event = "RefundIssued", DocNumber = context.Message.DocNumber, Amount = context.Message.Amount });

    private async Task Append<T>(ConsumeContext<T> context, TimelineEntry entry, Action<FlowTimeline>? enrich = null)
        where T : class, IFlowMessage
    {
        var message = context.Message;
        var key = message.FlowId.ToString("D");
        var existing = await unitOfWork.Store.Collection<FlowTimeline>(FlowTimeline.CollectionName).GetAsync(key, context.CancellationToken);
        var timeline = existing?.Value ?? new FlowTimeline { FlowId = message.FlowId, TenantId = message.TenantId };
        entry.At = (context.SentTime ?? time.GetUtcNow().UtcDateTime).ToUniversalTime();
        timeline.Append(entry);
        enrich?.Invoke(timeline);
        unitOfWork.InsertOrReplace(FlowTimeline.CollectionName, key, existing, timeline);
    }
}
