using QuoteToCash.Sandbox.QuickBooks.Domain.Rules;
using QuoteToCash.Sandbox.QuickBooks.State;

namespace QuoteToCash.Sandbox.QuickBooks.Webhooks;

/// <summary>One change, addressed to one app.</summary>
public sealed record WebhookEvent(Guid EventId, string RealmId, string Entity, string Id, string Operation, DateTimeOffset At);

/// <summary>One POST to an app's webhook endpoint, as GET /_sandbox/webhooks/deliveries shows it.</summary>
public sealed record DeliveryAttempt(
    long Sequence,
    string ClientId,
    string Url,
    string Format,
    int Attempt,
    int? Status,
    string? Error,
    string Body,
    string Signature,
    int Events,
    DateTimeOffset At);

/// <summary>
/// Per-app ordered queues of webhook events. Like QBO, an app's later events wait until its current
/// delivery has been acknowledged with a 200 (or abandoned).
/// </summary>
public sealed class WebhookQueue
{
    private const int LogLimit = 2000;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AppQueue> _queues = new(StringComparer.Ordinal);
    private readonly List<DeliveryAttempt> _log = [];
    private long _sequence;
    private long _generation;

    public SemaphoreSlim Signal { get; } = new(0);

    /// <summary>Changes on every reset, so a delivery that was in flight during a reset is not logged afterwards.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public sealed class AppQueue
    {
        public List<WebhookEvent> Pending { get; } = [];

        public PendingDelivery? Current { get; set; }
    }

    public sealed class PendingDelivery(IReadOnlyList<WebhookEvent> events, DateTimeOffset dueAt)
    {
        public IReadOnlyList<WebhookEvent> Events { get; } = events;

        /// <summary>Frozen at the first attempt so every retry carries the same bytes and signature.</summary>
        public string? Body { get; set; }

        public string? Format { get; set; }

        public int Attempts { get; set; }

        public DateTimeOffset DueAt { get; set; } = dueAt;

        public bool Sending { get; set; }
    }

    /// <summary>Queues the changes for every app connected to the realm that has a webhook URL. Call under the state lock.</summary>
    public void Publish(SandboxData data, IReadOnlyList<ChangeEvent> changes)
    {
        if (changes.Count == 0)
            return;
        var subscribers = changes.Select(c => c.RealmId).Distinct().ToDictionary(
            realm => realm,
            realm => data.Connections.Where(c => c.RealmId == realm).Select(c => c.ClientId).Distinct()
                .Where(id => data.Apps.TryGetValue(id, out var app) && !string.IsNullOrWhiteSpace(app.WebhookUrl)).ToList());
        lock (_gate)
        {
            foreach (var change in changes)
            {
                foreach (var clientId in subscribers[change.RealmId])
                {
                    if (!_queues.TryGetValue(clientId, out var queue))
                        _queues[clientId] = queue = new AppQueue();
                    queue.Pending.Add(new WebhookEvent(Guid.NewGuid(), change.RealmId, change.Entity, change.Id, change.Operation, change.At));
                }
            }
        }
        Signal.Release();
    }

    /// <summary>Runs <paramref name="action"/> over the queues under the queue lock (for the dispatcher).</summary>
    public T WithQueues<T>(Func<IReadOnlyDictionary<string, AppQueue>, T> action)
    {
        lock (_gate)
            return action(_queues);
    }

    public void Record(long generation, Func<long, DeliveryAttempt> attempt)
    {
        lock (_gate)
        {
            if (generation != _generation)
                return;
            _log.Add(attempt(++_sequence));
            if (_log.Count > LogLimit)
                _log.RemoveRange(0, _log.Count - LogLimit);
        }
    }

    public IReadOnlyList<DeliveryAttempt> Deliveries()
    {
        lock (_gate)
            return _log.ToList();
    }

    public void Clear()
    {
        lock (_gate)
        {
            _queues.Clear();
            _log.Clear();
            Interlocked.Increment(ref _generation);
        }
    }
}
