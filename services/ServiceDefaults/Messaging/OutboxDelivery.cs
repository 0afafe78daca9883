using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Telemetry;

namespace QuoteToCash.ServiceDefaults.Messaging;

/// <summary>
/// Sends committed outbox records to RabbitMQ (publisher confirms on) and removes them once confirmed.
/// The writer delivers its own records inline right after its commit; <see cref="OutboxDispatcher"/>
/// delivers whatever a crash or a broker outage left behind. Delivery is at-least-once, and every
/// consumer's inbox recognises a repeated message ID, so the effect is exactly-once.
/// </summary>
public sealed class OutboxDelivery(
    IDocumentStore store,
    IBus bus,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<OutboxDelivery> logger)
{
    private static long _lastSequence;
    private static readonly Meter Meter = new("QuoteToCash.Messaging");
    private static readonly Counter<long> Delivered = Meter.CreateCounter<long>("q2c.outbox.delivered", description: "Outbox messages confirmed by the broker");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>("q2c.outbox.delivery_failures", description: "Outbox delivery attempts that failed");
    private static readonly Counter<long> LeftToDispatcher = Meter.CreateCounter<long>("q2c.outbox.handoff_full",
        description: "Committed batches left to the dispatcher because the in-memory hand-off was full");

    private readonly System.Threading.Channels.Channel<IReadOnlyList<OutboxRecord>> _handOff =
        System.Threading.Channels.Channel.CreateBounded<IReadOnlyList<OutboxRecord>>(
            new System.Threading.Channels.BoundedChannelOptions(Math.Max(1, options.Value.Outbox.HandOffCapacity))
            {
                SingleReader = true,
                FullMode = System.Threading.Channels.BoundedChannelFullMode.Wait, // TryWrite then answers false instead of dropping silently
            });

    private readonly OutboxRemover _remover = new(store, logger);

    /// <summary>Completes when the removals of delivered records queued so far are done (for tests and shutdown).</summary>
    internal Task RemovalsIdle => _remover.Idle;

    /// <summary>Names this process in leases: machine, process and a random part (a PID alone repeats across restarts).</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}"[..^16];

    /// <summary>
    /// Delivers committed records in the background, right away, without making the caller wait for the
    /// broker (an HTTP intake answers first). Until then they are safe in the store; the dispatcher also
    /// takes them should this process die.
    /// </summary>
    /// <remarks>
    /// The hand-off is bounded (<see cref="OutboxOptions.HandOffCapacity"/>): when the broker stalls and it fills, a
    /// batch is left in the store for the dispatcher rather than held in memory, so nothing is lost and memory stays flat.
    /// </remarks>
    public void DeliverSoon(IReadOnlyList<OutboxRecord> records)
    {
        if (records.Count == 0 || _handOff.Writer.TryWrite(records))
            return;
        LeftToDispatcher.Add(1);
        logger.LogDebug("Outbox hand-off full; {Count} message(s) wait in the store for the dispatcher", records.Count);
    }

    internal System.Threading.Channels.ChannelReader<IReadOnlyList<OutboxRecord>> HandOff => _handOff.Reader;

    internal OutboxRecord NewRecord(Action<OutboxRecord> fill)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var record = new OutboxRecord
        {
            SequenceNumber = NextSequence(now),
            MessageId = NewId.NextGuid(),
            SentTime = now,
            LeaseUntil = now + options.Value.Outbox.InlineLease,
            LeaseOwner = InstanceId,
            // The writer's trace: background delivery (the hand-off, the dispatcher, another instance) restores it.
            Trace = StoredTraceContext.Capture(),
        };
        fill(record);
        return record;
    }

    /// <summary>Monotonic across the process, and ordered by time across restarts.</summary>
    private static long NextSequence(DateTime now)
    {
        while (true)
        {
            var last = Interlocked.Read(ref _lastSequence);
            var next = Math.Max(last + 1, now.Ticks);
            if (Interlocked.CompareExchange(ref _lastSequence, next, last) == last)
                return next;
        }
    }

    /// <summary>Best effort: what fails here stays in the store for the dispatcher.</summary>
    public async Task DeliverInlineAsync(IReadOnlyList<OutboxRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
            return;
        // All of them in flight at once, in commit order: the broker confirms them together instead of one round trip
        // each, which made the confirm latency, not the broker, the limit on how fast a busy service's messages left it.
        var sends = new List<(OutboxRecord Record, Task Sent)>(records.Count);
        foreach (var record in records)
            sends.Add((record, SendAsync(record, cancellationToken))); // each is awaited below, so none fails unobserved
        var sent = new List<DocumentWrite>(records.Count);
        Exception? firstFailure = null;
        var failures = 0;
        foreach (var (record, task) in sends)
        {
            try
            {
                await task;
                sent.Add(DocumentWrite.Delete(OutboxRecord.CollectionName, record.Key, 1));
            }
            catch (Exception exception)
            {
                firstFailure ??= exception;
                failures++;
            }
        }
        if (firstFailure is not null)
        {
            Failed.Add(1);
            logger.LogWarning(firstFailure, "Inline outbox delivery failed; the dispatcher will retry {Count} message(s)", failures);
        }
        // Confirmed by the broker: the caller goes on while the records leave the store with others' (a group commit).
        _remover.Remove(sent);
    }

    /// <summary>Claims and delivers records whose lease ran out. Returns how many were delivered.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var due = await store.Collection<OutboxRecord>(OutboxRecord.CollectionName)
            .FindAsync(r => r.LeaseUntil <= now, options.Value.Outbox.BatchSize, cancellationToken);
        var delivered = 0;
        foreach (var document in due)
        {
            var record = document.Value;
            record.Attempts++;
            record.LeaseOwner = InstanceId;
            record.LeaseUntil = now + Backoff(record.Attempts);
            try
            {
                await store.CommitAsync([DocumentWrite.Replace(OutboxRecord.CollectionName, document.Id, record, document.Version)], cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                continue; // another instance claimed it, or it was delivered meanwhile
            }

            try
            {
                await SendAsync(record, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Failed.Add(1);
                logger.LogWarning(exception, "Outbox message {MessageId} ({MessageType}) not delivered, attempt {Attempt}; retry at {Retry:o}",
                    record.MessageId, record.MessageType, record.Attempts, record.LeaseUntil);
                continue;
            }
            _remover.Remove([DocumentWrite.Delete(OutboxRecord.CollectionName, document.Id, document.Version + 1)]);
            delivered++;
        }
        return delivered;
    }

    private TimeSpan Backoff(int attempts)
    {
        var claim = options.Value.Outbox.ClaimLease;
        var backoff = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, Math.Min(attempts, 9))));
        return attempts <= 1 ? claim : (backoff > claim ? backoff : claim);
    }

    private async Task SendAsync(OutboxRecord record, CancellationToken cancellationToken)
    {
        // Parented on the writer's span, not on whatever runs the delivery: MassTransit's send span (and the consumer on
        // the other side) then belong to the trace that produced the message.
        using var activity = record.Trace.ContinueTrace("outbox deliver", ActivityKind.Producer, MessagingTelemetry.Source);
        activity?.SetTag("messaging.message.id", record.MessageId.ToString());
        activity?.SetTag("q2c.message_type", record.MessageType);

        if (record.Kind == OutboxPayloadKind.Envelope)
        {
            var destination = new Uri(record.DestinationAddress ?? throw new InvalidOperationException($"Outbox message {record.MessageId} has no destination."));
            var endpoint = await bus.GetSendEndpoint(destination);
            await endpoint.Send(new OutboxEnvelope(), new OutboxMessageSendPipe(new StoredOutboxMessage(record), destination), cancellationToken);
        }
        else
        {
            var type = Type.GetType(record.MessageType, throwOnError: true)!;
            var message = JsonSerializer.Deserialize(record.Body, type, UnitOfWork.MessageJson)
                          ?? throw new InvalidOperationException($"Outbox message {record.MessageId} has an empty body.");
            await bus.Publish(message, type, Pipe.Execute<PublishContext>(context =>
            {
                context.MessageId = record.MessageId;
                if (record.CorrelationId is { } correlationId)
                    context.CorrelationId = correlationId;
            }), cancellationToken);
        }
        Delivered.Add(1);
    }

    private sealed class OutboxEnvelope;

    /// <summary>Presents a stored record to MassTransit's outbox send pipe.</summary>
    private sealed class StoredOutboxMessage(OutboxRecord record) : OutboxMessageContext
    {
        private readonly Headers _headers = new DictionarySendHeaders(record.Headers.ToDictionary(h => h.Key, h => (object?)h.Value));

        public long SequenceNumber => record.SequenceNumber;
        public Guid MessageId => record.MessageId;
        public string ContentType => record.ContentType;
        public string MessageType => record.MessageType;
        public string Body => record.Body;
        public IReadOnlyDictionary<string, object> Properties { get; } = new Dictionary<string, object>();
        Guid? MessageContext.MessageId => record.MessageId;
        public Guid? RequestId => record.RequestId;
        public Guid? CorrelationId => record.CorrelationId;
        public Guid? ConversationId => record.ConversationId;
        public Guid? InitiatorId => record.InitiatorId;
        public DateTime? ExpirationTime => null;
        public Uri? SourceAddress => ToUri(record.SourceAddress);
        public Uri? DestinationAddress => ToUri(record.DestinationAddress);
        public Uri? ResponseAddress => ToUri(record.ResponseAddress);
        public Uri? FaultAddress => ToUri(record.FaultAddress);
        public DateTime? SentTime => record.SentTime;
        public Headers Headers => _headers;
        public HostInfo Host => MassTransit.Metadata.HostMetadataCache.Host;

        private static Uri? ToUri(string? value) => value is null ? null : new Uri(value);
    }
}

internal static class MessagingTelemetry
{
    public static readonly ActivitySource Source = new("QuoteToCash.Messaging");
}
