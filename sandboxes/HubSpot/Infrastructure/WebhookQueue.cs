using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace QuoteToCash.Sandbox.HubSpot.Infrastructure;

/// <summary>One webhook event waiting to be batched for an app.</summary>
public sealed record QueuedEvent(long Generation, long PortalId, long AppId, JsonObject Event);

/// <summary>Hands events from the store to the dispatcher.</summary>
public sealed class WebhookQueue
{
    private readonly Channel<QueuedEvent> _channel = Channel.CreateUnbounded<QueuedEvent>();

    public ChannelReader<QueuedEvent> Reader => _channel.Reader;

    public void Enqueue(QueuedEvent item) => _channel.Writer.TryWrite(item);
}

/// <summary>One delivery attempt, kept for tests (GET /_sandbox/webhooks/deliveries).</summary>
public sealed record WebhookDelivery(
    long Id, long PortalId, long AppId, string Url, int? Status, string? Error, int AttemptNumber, int EventCount,
    string Body, IReadOnlyDictionary<string, string> Headers, DateTimeOffset SentAt);

public sealed class DeliveryLog
{
    private const int Capacity = 20_000;
    private readonly ConcurrentQueue<WebhookDelivery> _items = new();
    private long _nextId;

    public long NextId() => Interlocked.Increment(ref _nextId);

    public void Add(WebhookDelivery delivery)
    {
        _items.Enqueue(delivery);
        while (_items.Count > Capacity && _items.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<WebhookDelivery> All() => _items.ToArray();

    public void Clear() => _items.Clear();
}
