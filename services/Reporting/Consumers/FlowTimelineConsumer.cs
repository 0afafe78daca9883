using MassTransit;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.Reporting.Domain;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.Reporting.Consumers;

/// <summary>Keeps each flow's timeline: the raw material of cycle-time and cash KPIs.</summary>
public sealed class FlowTimelineConsumer(IUnitOfWork unitOfWork, TimeProvider time) :
    IConsumer<DealWon>, IConsumer<CustomerReady>, IConsumer<CustomerNeedsReview>, IConsumer<InvoicePosted>, IConsumer<PaymentReceived>
{
    public Task Consume(ConsumeContext<DealWon> context) =>
        Append(context, "DealWon", $"{context.Message.DealName}: {context.Message.Amount} {context.Message.Currency}", t =>
        {
            t.DealName = context.Message.DealName;
            t.WonAt = context.Message.WonAt.UtcDateTime;
        });

    public Task Consume(ConsumeContext<CustomerReady> context) => Append(context, "CustomerReady", context.Message.DisplayName);

    public Task Consume(ConsumeContext<CustomerNeedsReview> context) =>
        Append(context, "CustomerNeedsReview", string.Join("; ", context.Message.Reasons));

    public Task Consume(ConsumeContext<InvoicePosted> context) =>
        Append(context, "InvoicePosted", $"{context.Message.DocNumber}: {context.Message.Total}");

    public Task Consume(ConsumeContext<PaymentReceived> context) =>
        Append(context, "PaymentReceived", $"{context.Message.Amount} {context.Message.Currency}, balance {context.Message.RemainingBalance}");

    private async Task Append<T>(ConsumeContext<T> context, string name, string? detail, Action<FlowTimeline>? enrich = null)
        where T : class, IFlowMessage
    {
        var message = context.Message;
        var key = message.FlowId.ToString("D");
        var existing = await unitOfWork.Store.Collection<FlowTimeline>(FlowTimeline.CollectionName).GetAsync(key, context.CancellationToken);
        var timeline = existing?.Value ?? new FlowTimeline { FlowId = message.FlowId, TenantId = message.TenantId };
        var at = (context.SentTime ?? time.GetUtcNow().UtcDateTime).ToUniversalTime();
        timeline.Entries.Add(new TimelineEntry { Event = name, At = at, Detail = detail });
        timeline.LastEvent = name;
        timeline.LastEventAt = at;
        enrich?.Invoke(timeline);
        if (existing is null)
            unitOfWork.Insert(FlowTimeline.CollectionName, key, timeline);
        else
            unitOfWork.Replace(FlowTimeline.CollectionName, existing, timeline);
    }
}
