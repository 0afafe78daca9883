using System.Text.Json;
using MassTransit;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.Contracts.BillingRules;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.Reporting.Domain.ReadModels;
using QuoteToCash.Reporting.Infrastructure;
using QuoteToCash.ServiceDefaults.Messaging;

namespace QuoteToCash.Reporting.Consumers;

/// <summary>
/// Keeps the KPI read models: stores each event as a fact (what a rebuild replays) and applies it to the typed documents it
/// touches, in one unit of work with the inbox entry, so a redelivered event changes nothing.
/// </summary>
/// <remarks>
/// Facts are dated by the times the events carry, set by their producers from their own <see cref="TimeProvider"/>, never by
/// the transport's <c>SentTime</c> alone (the machine's clock, which a moved service clock does not follow). What an event
/// leaves undated is dated by when it was announced: its <c>SentTime</c> moved onto the platform's clock (the demo's offset
/// applied), not by when reporting got to it, which under a backlog is minutes later. That moment is what the stored fact
/// keeps for a rebuild.
/// Sync exceptions come from accounting-sync's queue (<see cref="SyncExceptionOpened"/>, <see cref="SyncExceptionClosed"/>),
/// which already records QuickBooks' refusals of invoices and billing's holds; <c>InvoicePostingFailed</c> and
/// <c>FlowHoldChanged</c> are therefore not read here, so no exception is counted twice.
/// </remarks>
public sealed class ReadModelConsumer(IUnitOfWork unitOfWork, TimeProvider time) :
    IConsumer<DealWon>, IConsumer<DealChanged>, IConsumer<DealLost>, IConsumer<DealReopened>, IConsumer<TimeEntryLogged>, IConsumer<CustomerReady>,
    IConsumer<CustomerNeedsReview>, IConsumer<CustomersMerged>, IConsumer<AccountStandingChanged>, IConsumer<InvoiceDrafted>,
    IConsumer<InvoiceApprovalRecorded>, IConsumer<InvoiceStatusChanged>, IConsumer<InvoiceSent>, IConsumer<InvoicePosted>, IConsumer<PaymentReceived>,
    IConsumer<PaymentReversed>, IConsumer<CreditMemoPosted>, IConsumer<InvoiceVoided>, IConsumer<SyncExceptionOpened>, IConsumer<SyncExceptionClosed>
{
    internal static readonly JsonSerializerOptions FactJson = new(JsonSerializerDefaults.Web);

    public Task Consume(ConsumeContext<DealWon> context) => Project(context, context.Message.TenantId);
    public Task Consume(ConsumeContext<DealChanged> context) => Project(context, context.Message.TenantId);
    public Task Consume(ConsumeContext<DealLost> context) => Project(context, context.Message.TenantId);
    public Task Consume(ConsumeContext<DealReopened> context) => Project(context, context.Message.TenantId);
    public Task Consume(ConsumeContext<TimeEntryLogged> context) => Project(context, context.Message.TenantId);
    public Task Consume(ConsumeContext<CustomerReady> context) => Project(context, context.Message.TenantId);
    public Task Consume(ConsumeContext<CustomerNeedsReview> context) => Project(context, context.Message.TenantId);
    public Task Consume(ConsumeContext<CustomersMerged> context) => Project(context, context.Message.TenantId);
    public Task Consume(ConsumeContext<InvoiceApprovalRecorded> context) => Project(context, context.Message.TenantId);
    public Task Consume(ConsumeContext<SyncExceptionOpened> context) => Project(context, context.Message.TenantId);
    public Task Consume(ConsumeContext<SyncExceptionClosed> context) => Project(context, context.Message.TenantId);
    public Task Consume(ConsumeContext<AccountStandingChanged> context) => Project(context, context.Message.TenantId);
    public Task Consume(ConsumeContext<InvoiceDrafted> context) => Project(context, context.Message.TenantId);
    public Task Consume(ConsumeContext<InvoiceStatusChanged> context) => Project(context, context.Message.TenantId);
    public Task Consume(ConsumeContext<InvoiceSent> context) => Project(context, context.Message.TenantId);
    public Task Consume(ConsumeContext<InvoicePosted> context) => Project(context, context.Message.TenantId);
    public Task Consume(ConsumeContext<PaymentReceived> context) => Project(context, context.Message.TenantId);
    public Task Consume(ConsumeContext<PaymentReversed> context) => Project(context, context.Message.TenantId);
    public Task Consume(ConsumeContext<CreditMemoPosted> context) => Project(context, context.Message.TenantId);
    public Task Consume(ConsumeContext<InvoiceVoided> context) => Project(context, context.Message.TenantId);

    private async Task Project<T>(ConsumeContext<T> context, string tenantId) where T : class
    {
        var message = context.Message;
        var receivedAt = (AnnouncedTime.Of(context, time) ?? time.GetUtcNow()).ToUniversalTime();
        var messageId = context.MessageId ?? NewId.NextGuid();
        unitOfWork.Insert(ReadModelCollections.Facts, $"{typeof(T).Name}:{messageId:D}", new StoredFact
        {
            TenantId = tenantId, Type = typeof(T).FullName!, Json = JsonSerializer.Serialize(message, FactJson), ReceivedTicks = receivedAt.UtcTicks,
        });
        var set = await StoreReadModelSet.LoadAsync(unitOfWork.Store, ReadModelProjector.Touches(message), context.CancellationToken);
        ReadModelProjector.Apply(message, set, receivedAt);
        set.WriteTo(unitOfWork, ChangeStamp.Next(time));
    }
}
