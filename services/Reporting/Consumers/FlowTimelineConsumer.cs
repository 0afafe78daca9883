using MassTransit;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.BillingRules;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.Reporting.Domain;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.Reporting.Consumers;

/// <summary>
/// Keeps each flow's timeline: the raw material of cycle-time and cash KPIs. Each entry is dated by the moment its event
/// carries (on the producer's clock), not by the transport's send time.
/// </summary>
public sealed class FlowTimelineConsumer(IUnitOfWork unitOfWork, TimeProvider time) :
    IConsumer<DealWon>, IConsumer<CustomerReady>, IConsumer<CustomerNeedsReview>, IConsumer<InvoicePosted>, IConsumer<PaymentReceived>,
    IConsumer<InvoiceDrafted>, IConsumer<FlowStuck>, IConsumer<CreditMemoPosted>, IConsumer<RefundIssued>, IConsumer<InvoiceStatusChanged>,
    IConsumer<InvoiceVoided>, IConsumer<TimeActivityPosted>, IConsumer<PaymentReversed>
{
    public Task Consume(ConsumeContext<DealWon> context) =>
        Append(context, context.Message.WonAt, new TimelineEntry { Event = "DealWon", Amount = context.Message.Amount, Currency = context.Message.Currency }, t =>
        {
            t.DealName = context.Message.DealName;
            t.WonAt = context.Message.WonAt.UtcDateTime;
        });

    public Task Consume(ConsumeContext<CustomerReady> context) =>
        Append(context, null, new TimelineEntry { Event = "CustomerReady", CustomerId = context.Message.CustomerId, CustomerName = context.Message.DisplayName });

    public Task Consume(ConsumeContext<CustomerNeedsReview> context) =>
        Append(context, null, new TimelineEntry { Event = "CustomerNeedsReview", CustomerId = context.Message.CustomerId, Reasons = context.Message.Reasons.ToList() });

    public Task Consume(ConsumeContext<InvoicePosted> context) =>
        Append(context, context.Message.PostedAt, new TimelineEntry
        {
            Event = "InvoicePosted", DocNumber = context.Message.DocNumber, Amount = context.Message.Total, Balance = context.Message.Balance,
        });

    /// <summary>A credit memo applied in QuickBooks arrives on the payment feed but is no cash: it is kept apart, so cash KPIs (DSO) skip it.</summary>
    public Task Consume(ConsumeContext<PaymentReceived> context) =>
        Append(context, context.Message.ReceivedAt, new TimelineEntry
        {
            Event = string.IsNullOrWhiteSpace(context.Message.AccountingCreditMemoId) ? "PaymentReceived" : "CreditMemoApplied",
            InvoiceId = context.Message.InvoiceId, Amount = context.Message.Amount, Currency = context.Message.Currency,
            Balance = context.Message.RemainingBalance,
        });

    /// <summary>A payment taken back in QuickBooks (deleted, voided or reduced there): the amount no longer received.</summary>
    public Task Consume(ConsumeContext<PaymentReversed> context) =>
        Append(context, context.Message.ReversedAt, new TimelineEntry
        {
            Event = "PaymentReversed", InvoiceId = context.Message.InvoiceId, Amount = context.Message.Amount, Currency = context.Message.Currency,
            Balance = context.Message.RemainingBalance,
        });

    /// <summary>The invoice's status as billing announced it to the CRM (Sent, Partially paid, Paid, Overdue, Voided).</summary>
    public Task Consume(ConsumeContext<InvoiceStatusChanged> context) =>
        Append(context, context.Message.ChangedAt, new TimelineEntry
        {
            Event = "InvoiceStatusChanged", Status = context.Message.Status, InvoiceId = context.Message.InvoiceId, DocNumber = context.Message.DocNumber,
            Balance = context.Message.BalanceDue,
        });

    public Task Consume(ConsumeContext<InvoiceVoided> context) =>
        Append(context, context.Message.VoidedAt, new TimelineEntry
        {
            Event = context.Message.Deleted ? "InvoiceDeleted" : "InvoiceVoided", InvoiceId = context.Message.InvoiceId, Balance = 0m,
        });

    public Task Consume(ConsumeContext<TimeActivityPosted> context) =>
        Append(context, context.Message.PostedAt, new TimelineEntry
        {
            Event = "TimeActivityPosted", TimeEntryId = context.Message.TimeEntryId, AccountingRef = context.Message.AccountingTimeActivityId,
            Reasons = [$"time entry {context.Message.TimeEntryId} is QuickBooks TimeActivity {context.Message.AccountingTimeActivityId}"],
        });

    public Task Consume(ConsumeContext<InvoiceDrafted> context) =>
        Append(context, context.Message.DraftedAt, new TimelineEntry
        {
            Event = context.Message.RequiresApproval ? "InvoiceDraftedForApproval" : "InvoiceDrafted", InvoiceId = context.Message.InvoiceId,
            Amount = context.Message.Total, Currency = context.Message.Currency, DueDate = context.Message.DueDate,
        });

    public Task Consume(ConsumeContext<FlowStuck> context) =>
        Append(context, context.Message.DetectedAt, new TimelineEntry
        {
            Event = "FlowStuck", Status = context.Message.State, Since = context.Message.Since.UtcDateTime, ExpectedWithin = context.Message.ExpectedWithin,
            Reasons = [$"in {context.Message.State} since {context.Message.Since:u}, expected within {context.Message.ExpectedWithin}"],
        });

    /// <summary>Credits (and write-offs) are what the billing error rate counts.</summary>
    public Task Consume(ConsumeContext<CreditMemoPosted> context) =>
        Append(context, context.Message.PostedAt, new TimelineEntry
        {
            Event = context.Message.WriteOff ? "WriteOffPosted" : "CreditMemoPosted", InvoiceId = context.Message.InvoiceId, DocNumber = context.Message.DocNumber,
            Amount = context.Message.Amount, Balance = context.Message.InvoiceBalance,
        });

    public Task Consume(ConsumeContext<RefundIssued> context) =>
        Append(context, context.Message.IssuedAt, new TimelineEntry { Event = "RefundIssued", DocNumber = context.Message.DocNumber, Amount = context.Message.Amount });

    /// <param name="at">
    /// The moment the event carries, on its producer's clock; null for the few that carry none, which are then dated by
    /// when they were announced (never by when reporting got to them: under a backlog that is minutes later).
    /// </param>
    private async Task Append<T>(ConsumeContext<T> context, DateTimeOffset? at, TimelineEntry entry, Action<FlowTimeline>? enrich = null)
        where T : class, IFlowMessage
    {
        var message = context.Message;
        var key = message.FlowId.ToString("D");
        var existing = await unitOfWork.Store.Collection<FlowTimeline>(FlowTimeline.CollectionName).GetAsync(key, context.CancellationToken);
        var timeline = existing?.Value ?? new FlowTimeline { FlowId = message.FlowId, TenantId = message.TenantId };
        var announced = AnnouncedTime.Of(context, time);
        entry.AnnouncedAt = announced?.UtcDateTime;
        entry.At = (at ?? announced ?? time.GetUtcNow()).UtcDateTime;
        timeline.Append(entry);
        enrich?.Invoke(timeline);
        unitOfWork.InsertOrReplace(FlowTimeline.CollectionName, key, existing, timeline);
    }
}
