using System.Diagnostics;
using System.Diagnostics.Metrics;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.ServiceDefaults.Messaging;

/// <summary>
/// The inbox/outbox on the document-store port, plugged into MassTransit's outbox pipeline:
/// a redelivered message whose inbox entry exists is acknowledged without running the consumer; otherwise
/// the consumer (or saga) runs, and its state changes, its captured sends/publishes and the inbox entry
/// commit in one atomic write. The captured messages are then delivered, before the incoming one is acknowledged.
/// </summary>
public sealed class StoreOutboxContextFactory(
    UnitOfWork unitOfWork,
    OutboxDelivery delivery,
    IServiceProvider provider,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<StoreOutboxContextFactory> logger) : IOutboxContextFactory<IDocumentStore>
{
    private static readonly Meter Meter = new("QuoteToCash.Messaging");
    private static readonly Counter<long> Duplicates = Meter.CreateCounter<long>("q2c.inbox.duplicates", description: "Redelivered messages recognised by the inbox");
    private static readonly Counter<long> PassedOver = Meter.CreateCounter<long>("q2c.inbox.passed_over",
        description: "Messages a consumer said were not for it, acknowledged without an inbox record");
    private static int _commits;

    public async Task Send<T>(ConsumeContext<T> context, OutboxConsumeOptions consumeOptions, IPipe<OutboxConsumeContext<T>> next)
        where T : class
    {
        var messageId = context.GetOriginalMessageId() ?? context.MessageId
            ?? throw new MessageException(typeof(T), "A MessageId is required to consume through the inbox.");
        var inboxKey = InboxRecord.KeyFor(consumeOptions.ConsumerId, messageId);

        var existing = await unitOfWork.Store.Collection<InboxRecord>(InboxRecord.CollectionName).GetAsync(inboxKey, context.CancellationToken);
        if (existing is not null)
        {
            Duplicates.Add(1, new KeyValuePair<string, object?>("consumer", consumeOptions.ConsumerType));
            logger.LogInformation("Message {MessageId} already applied by {Consumer} at {Consumed:o}; acknowledged without reprocessing",
                messageId, consumeOptions.ConsumerType, existing.Value.Consumed);
            // Consumed as far as the transport is concerned: without this the endpoint would count the message as
            // consumed by nobody and move it to its _skipped queue, which would grow with every redelivery.
            await context.NotifyConsumed(context, TimeSpan.Zero, consumeOptions.ConsumerType);
            return;
        }

        unitOfWork.BeginConsume();
        try
        {
            var inbox = new InboxRecord
            {
                MessageId = messageId,
                ConsumerId = consumeOptions.ConsumerId,
                ConsumerType = consumeOptions.ConsumerType,
                MessageType = typeof(T).FullName ?? typeof(T).Name,
                Consumed = time.GetUtcNow().UtcDateTime,
            };
            var outboxContext = new StoreOutboxConsumeContext<T>(context, consumeOptions, provider, this, inbox);
            await next.Send(outboxContext);
        }
        finally
        {
            unitOfWork.EndConsume();
        }
    }

    internal void Capture(OutboxRecord record) => unitOfWork.AddOutbox(record);

    internal OutboxRecord NewRecord(Action<OutboxRecord> fill) => delivery.NewRecord(fill);

    internal async Task CommitAsync(InboxRecord inbox, string? tenantId, CancellationToken cancellationToken)
    {
        if (unitOfWork.LeavesNothing)
        {
            PassedOver.Add(1, new KeyValuePair<string, object?>("consumer", inbox.ConsumerType));
            return; // not for this consumer, whatever the state: a redelivery is passed over the same way
        }
        var records = await unitOfWork.CommitPendingAsync(inbox, cancellationToken);
        var faults = options.Value.FaultInjection;
        var commit = faults.Tenant is null || faults.Tenant == tenantId ? Interlocked.Increment(ref _commits) : 0;
        if (commit > 0 && faults.CrashAfterCommit == commit)
            Crash("after commit, before publish", inbox);

        await delivery.DeliverInlineAsync(records, cancellationToken);

        if (commit > 0 && faults.CrashAfterPublish == commit)
            Crash("after publish, before acknowledgement", inbox);
    }

    private void Crash(string point, InboxRecord inbox)
    {
        logger.LogCritical("Fault injection: killing the process {Point} of message {MessageId}", point, inbox.MessageId);
        Process.GetCurrentProcess().Kill();
        Thread.Sleep(Timeout.Infinite);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("documentStoreOutbox");
}

internal sealed class StoreOutboxConsumeContext<TMessage>(
    ConsumeContext<TMessage> context,
    OutboxConsumeOptions options,
    IServiceProvider provider,
    StoreOutboxContextFactory factory,
    InboxRecord inbox)
    : OutboxConsumeContextProxy<TMessage>(context, options, provider)
    where TMessage : class
{
    private readonly List<OutboxMessageContext> _captured = [];
    private bool _consumed;

    public override bool ContinueProcessing { get; set; } = true;

    public override bool IsMessageConsumed => _consumed;

    // Delivery happens right after the commit inside SetConsumed, so the pipe never needs a delivery pass.
    public override bool IsOutboxDelivered => _consumed;

    public override int ReceiveCount => this.GetRetryAttempt() + 1;

    public override long? LastSequenceNumber => null;

    public override async Task SetConsumed()
    {
        await factory.CommitAsync(inbox, (Message as QuoteToCash.Contracts.IFlowMessage)?.TenantId, CancellationToken);
        _consumed = true;
        ContinueProcessing = false;
    }

    public override Task SetDelivered() => Task.CompletedTask;

    public override Task<List<OutboxMessageContext>> LoadOutboxMessages() => Task.FromResult(_captured.ToList());

    public override Task NotifyOutboxMessageDelivered(OutboxMessageContext message) => Task.CompletedTask;

    public override Task RemoveOutboxMessages()
    {
        _captured.Clear();
        return Task.CompletedTask;
    }

    public override Task AddSend<T>(SendContext<T> context)
    {
        if (context.MessageId is not { } messageId)
            throw new MessageException(typeof(T), "The SendContext MessageId must be present");
        var body = context.Serializer.GetMessageBody(context).GetString();
        var record = factory.NewRecord(r =>
        {
            r.Kind = OutboxPayloadKind.Envelope;
            r.MessageId = messageId;
            r.MessageType = typeof(T).FullName ?? typeof(T).Name;
            r.DestinationAddress = context.DestinationAddress?.ToString();
            r.ContentType = context.ContentType?.ToString() ?? context.Serialization.DefaultContentType.ToString();
            r.Body = body;
            r.ConversationId = context.ConversationId;
            r.CorrelationId = context.CorrelationId;
            r.InitiatorId = context.InitiatorId;
            r.RequestId = context.RequestId;
            r.SourceAddress = context.SourceAddress?.ToString();
            r.ResponseAddress = context.ResponseAddress?.ToString();
            r.FaultAddress = context.FaultAddress?.ToString();
            r.SentTime = context.SentTime ?? r.SentTime;
            foreach (var header in context.Headers.GetAll())
            {
                if (header.Value is not null)
                    r.Headers[header.Key] = header.Value.ToString() ?? string.Empty;
            }
        });
        factory.Capture(record);
        return Task.CompletedTask;
    }
}

public static class StoreOutboxConfigurationExtensions
{
    /// <summary>Adds the store-backed inbox and transactional outbox to every consumer and saga on the endpoint.</summary>
    public static void UseDocumentStoreOutbox(this IReceiveEndpointConfigurator configurator, IRegistrationContext context)
    {
        var observer = new OutboxConsumePipeSpecificationObserver<IDocumentStore>(configurator, context);
        configurator.ConnectConsumerConfigurationObserver(observer);
        configurator.ConnectSagaConfigurationObserver(observer);
    }
}
