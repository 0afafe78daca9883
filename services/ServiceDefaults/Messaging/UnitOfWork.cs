using System.Text.Json;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Telemetry;

namespace QuoteToCash.ServiceDefaults.Messaging;

/// <summary>
/// Collects the state changes and outgoing messages of one unit of work and commits them atomically
/// through the service's document store. Inside a message consumer or saga the commit happens when
/// the message has been handled, together with the inbox entry; in an HTTP handler call
/// <see cref="CommitAsync"/>. Messages are delivered only after the commit succeeded.
/// </summary>
public interface IUnitOfWork
{
    IDocumentStore Store { get; }

    void Insert<T>(string collection, string id, T value) where T : class;

    void Replace<T>(string collection, StoredDocument<T> current, T value) where T : class;

    void Upsert<T>(string collection, string id, T value) where T : class;

    void Delete(string collection, string id, long? expectedVersion = null);

    /// <summary>Publishes the message once the unit of work commits.</summary>
    void Publish<T>(T message) where T : class;

    /// <summary>Publishes the message at <paramref name="dueAt"/> (and every <paramref name="repeatEvery"/> after), via the store-backed scheduler.</summary>
    void Schedule<T>(string jobId, DateTimeOffset dueAt, T message, TimeSpan? repeatEvery = null) where T : class;

    void CancelScheduled(string jobId, long? expectedVersion = null);

    /// <summary>
    /// Runs <paramref name="callback"/> once this unit of work has committed (at the end of the consume while consuming),
    /// and not at all if the commit fails: for waking an in-process worker that reads what was just written.
    /// </summary>
    void OnCommitted(Action callback);

    /// <summary>
    /// Says the message being consumed has nothing for this consumer, whatever the state: a kind of entity or event it
    /// does not handle. If the consume then writes and sends nothing, it keeps no inbox record and commits nothing: a
    /// redelivery would be passed over the same way, so the commit is saved. Anything written or sent makes the consume
    /// an ordinary one again.
    /// </summary>
    void NotForThisConsumer();

    /// <summary>Commits now, or, while a message is being consumed, leaves the commit to the end of the consume.</summary>
    Task CommitAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Commits now and hands the messages to the background delivery instead of waiting for the broker's
    /// confirmation: for intake endpoints that must answer fast. The messages are as safe as with
    /// <see cref="CommitAsync"/>; only the moment of publishing differs.
    /// </summary>
    Task CommitAndDeliverLaterAsync(CancellationToken cancellationToken = default);
}

public sealed class UnitOfWork(IDocumentStore store, OutboxDelivery delivery, TimeProvider time) : IUnitOfWork
{
    internal static readonly JsonSerializerOptions MessageJson = new(JsonSerializerDefaults.Web);
    private readonly List<DocumentWrite> _writes = [];
    private bool _notForThisConsumer;
    private readonly List<OutboxRecord> _outbox = [];
    private readonly List<Action> _committed = [];

    public IDocumentStore Store => store;

    /// <summary>True while a consumer or saga is handling a message under the outbox.</summary>
    public bool InConsume { get; private set; }

    internal IReadOnlyList<OutboxRecord> PendingOutbox => _outbox;

    public void Insert<T>(string collection, string id, T value) where T : class => _writes.Add(DocumentWrite.Insert(collection, id, value));

    public void Replace<T>(string collection, StoredDocument<T> current, T value) where T : class =>
        _writes.Add(DocumentWrite.Replace(collection, current.Id, value, current.Version));

    internal void Replace<T>(string collection, string id, T value, long expectedVersion) where T : class =>
        _writes.Add(DocumentWrite.Replace(collection, id, value, expectedVersion));

    public void Upsert<T>(string collection, string id, T value) where T : class => _writes.Add(DocumentWrite.Upsert(collection, id, value));

    public void Delete(string collection, string id, long? expectedVersion = null) => _writes.Add(DocumentWrite.Delete(collection, id, expectedVersion));

    public void Publish<T>(T message) where T : class
    {
        ArgumentNullException.ThrowIfNull(message);
        var type = message.GetType();
        _outbox.Add(delivery.NewRecord(r =>
        {
            r.Kind = OutboxPayloadKind.Message;
            r.MessageType = type.AssemblyQualifiedName ?? type.FullName!;
            r.ContentType = "application/json";
            r.Body = JsonSerializer.Serialize(message, type, MessageJson);
        }));
    }

    public void Schedule<T>(string jobId, DateTimeOffset dueAt, T message, TimeSpan? repeatEvery = null) where T : class
    {
        ArgumentNullException.ThrowIfNull(message);
        var type = message.GetType();
        _writes.Add(DocumentWrite.Upsert(ScheduledJob.CollectionName, jobId, new ScheduledJob
        {
            JobId = jobId,
            DueAt = dueAt.UtcDateTime,
            RepeatEvery = repeatEvery,
            MessageType = type.AssemblyQualifiedName ?? type.FullName!,
            Body = JsonSerializer.Serialize(message, type, MessageJson),
            Created = time.GetUtcNow().UtcDateTime,
            Trace = StoredTraceContext.Capture(),
        }));
    }

    public void CancelScheduled(string jobId, long? expectedVersion = null) => Delete(ScheduledJob.CollectionName, jobId, expectedVersion);

    public void OnCommitted(Action callback) => _committed.Add(callback ?? throw new ArgumentNullException(nameof(callback)));

    public void NotForThisConsumer() => _notForThisConsumer = true;

    /// <summary>The consume said the message was not for it and wrote and sent nothing: no inbox record, no commit.</summary>
    internal bool LeavesNothing => _notForThisConsumer && _writes.Count == 0 && _outbox.Count == 0 && _committed.Count == 0;

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        if (InConsume)
            return;
        var records = await CommitPendingAsync(null, cancellationToken);
        await delivery.DeliverInlineAsync(records, cancellationToken);
    }

    public async Task CommitAndDeliverLaterAsync(CancellationToken cancellationToken = default)
    {
        if (InConsume)
            return;
        delivery.DeliverSoon(await CommitPendingAsync(null, cancellationToken));
    }

    internal void AddOutbox(OutboxRecord record) => _outbox.Add(record);

    internal void BeginConsume()
    {
        Clear();
        InConsume = true;
    }

    internal void EndConsume()
    {
        InConsume = false;
        Clear();
    }

    /// <summary>Commits writes, outbox records and (when consuming) the inbox entry as one atomic step.</summary>
    internal async Task<IReadOnlyList<OutboxRecord>> CommitPendingAsync(InboxRecord? inbox, CancellationToken cancellationToken)
    {
        var writes = new List<DocumentWrite>(_writes.Count + _outbox.Count + 1);
        writes.AddRange(_writes);
        var records = _outbox.ToList();
        foreach (var record in records)
        {
            if (inbox is not null)
                record.InboxId = InboxRecord.KeyFor(inbox.ConsumerId, inbox.MessageId);
            writes.Add(DocumentWrite.Insert(OutboxRecord.CollectionName, record.Key, record));
        }
        if (inbox is not null)
            writes.Add(DocumentWrite.Insert(InboxRecord.CollectionName, InboxRecord.KeyFor(inbox.ConsumerId, inbox.MessageId), inbox));
        var committed = _committed.ToList();
        try
        {
            await store.CommitAsync(writes, cancellationToken);
        }
        finally
        {
            Clear();
        }
        foreach (var callback in committed)
            callback();
        return records;
    }

    private void Clear()
    {
        _notForThisConsumer = false;
        _writes.Clear();
        _outbox.Clear();
        _committed.Clear();
    }
}
