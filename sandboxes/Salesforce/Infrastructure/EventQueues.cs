using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace QuoteToCash.Sandbox.Salesforce.Infrastructure;

/// <summary>An Outbound Message notification waiting for delivery; the sObject is read when it is sent.</summary>
public sealed record QueuedNotification(long Generation, string OrgId, string RuleId, string NotificationId, string RecordId, DateTimeOffset CreatedAt);

/// <summary>A change event message, already rendered, waiting for delivery.</summary>
public sealed record QueuedChangeEvent(long Generation, string OrgId, JsonObject Message);

public sealed class EventQueues
{
    private readonly Channel<QueuedNotification> _notifications = Channel.CreateUnbounded<QueuedNotification>();
    private readonly Channel<QueuedChangeEvent> _changeEvents = Channel.CreateUnbounded<QueuedChangeEvent>();

    public ChannelReader<QueuedNotification> Notifications => _notifications.Reader;

    public ChannelReader<QueuedChangeEvent> ChangeEvents => _changeEvents.Reader;

    public void Enqueue(QueuedNotification notification) => _notifications.Writer.TryWrite(notification);

    public void Enqueue(QueuedChangeEvent changeEvent) => _changeEvents.Writer.TryWrite(changeEvent);
}

/// <summary>One delivery attempt (outbound message or change event), kept for tests.</summary>
public sealed record Delivery(
    long Id, string OrgId, string Url, int? Status, string? Error, bool Acknowledged, int AttemptNumber, string Body,
    IReadOnlyDictionary<string, string> Headers, string? ResponseBody, IReadOnlyList<string> Ids, DateTimeOffset SentAt);

public sealed class DeliveryLog
{
    private const int Capacity = 20_000;
    private readonly ConcurrentQueue<Delivery> _items = new();
    private long _nextId;

    public long NextId() => Interlocked.Increment(ref _nextId);

    public void Add(Delivery delivery)
    {
        _items.Enqueue(delivery);
        while (_items.Count > Capacity && _items.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<Delivery> All() => _items.ToArray();

    public void Clear() => _items.Clear();
}

/// <summary>The two delivery logs, told apart for the control API.</summary>
public sealed class DeliveryLogs
{
    public DeliveryLog Outbound { get; } = new();

    public DeliveryLog ChangeEvents { get; } = new();
}
