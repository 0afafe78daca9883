using QuoteToCash.ServiceDefaults.Telemetry;

namespace QuoteToCash.ServiceDefaults.Messaging;

/// <summary>How an outbox record carries its message.</summary>
public enum OutboxPayloadKind
{
    /// <summary>A MassTransit envelope captured from a consumer's or saga's send/publish, sent as-is.</summary>
    Envelope,

    /// <summary>A message published through <see cref="IUnitOfWork.Publish{T}"/>: its CLR type and JSON body.</summary>
    Message,
}

/// <summary>A message waiting to be delivered to RabbitMQ. Deleted once the broker confirmed it.</summary>
public sealed class OutboxRecord
{
    public const string CollectionName = "outbox";

    public long SequenceNumber { get; set; }
    public Guid MessageId { get; set; }
    public OutboxPayloadKind Kind { get; set; }
    public string? DestinationAddress { get; set; }
    public string MessageType { get; set; } = string.Empty;
    public string ContentType { get; set; } = string.Empty;
    public string Body { get; set; } = string.Empty;
    public Dictionary<string, string> Headers { get; set; } = [];
    public Guid? ConversationId { get; set; }
    public Guid? CorrelationId { get; set; }
    public Guid? InitiatorId { get; set; }
    public Guid? RequestId { get; set; }
    public string? SourceAddress { get; set; }
    public string? ResponseAddress { get; set; }
    public string? FaultAddress { get; set; }
    public DateTime SentTime { get; set; }
    /// <summary>The inbox entry (consumer + incoming message) that produced it, if any.</summary>
    public string? InboxId { get; set; }
    /// <summary>Until then, the writer delivers it inline; afterwards the dispatcher may claim it.</summary>
    public DateTime LeaseUntil { get; set; }
    public string? LeaseOwner { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    /// <summary>The trace the message was written in; its delivery, whenever and wherever it happens, continues that trace.</summary>
    public StoredTraceContext? Trace { get; set; }

    /// <summary>Key order is delivery order.</summary>
    public string Key => $"{SequenceNumber:D20}-{MessageId:N}";
}

/// <summary>Marks one message as applied by one consumer; its presence makes a redelivery a no-op.</summary>
public sealed class InboxRecord
{
    public const string CollectionName = "inbox";

    public Guid MessageId { get; set; }
    public Guid ConsumerId { get; set; }
    public string ConsumerType { get; set; } = string.Empty;
    public string MessageType { get; set; } = string.Empty;
    public DateTime Consumed { get; set; }

    public static string KeyFor(Guid consumerId, Guid messageId) => $"{consumerId:N}:{messageId:N}";
}
