using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.Testing;

/// <summary>What a <see cref="TestUnitOfWork"/> does with the writes and messages handed to it.</summary>
public enum TestUnitOfWorkMode
{
    /// <summary>Keeps them in <see cref="TestUnitOfWork.Written"/> and <see cref="TestUnitOfWork.Published"/>; the store is not touched.</summary>
    Record,

    /// <summary>Applies each write to the store at once, for a consumer that reads what it wrote; messages are recorded.</summary>
    WriteThrough,

    /// <summary>Throws at any use: for requests that must be refused before they reach the unit of work.</summary>
    Refuse,
}

/// <summary>
/// The unit of work of a handler or consumer under test, without the outbox: it records what the code wrote and
/// published, writes it through to the store, or refuses it, as <see cref="Mode"/> says.
/// </summary>
public sealed class TestUnitOfWork(IDocumentStore store, TestUnitOfWorkMode mode = TestUnitOfWorkMode.Record) : IUnitOfWork
{
    private readonly List<object> _written = [];
    private readonly List<object> _published = [];

    public TestUnitOfWorkMode Mode { get; } = mode;

    public IDocumentStore Store => store;

    /// <summary>The documents inserted, replaced or upserted, in order.</summary>
    public IReadOnlyList<object> Written => _written;

    /// <summary>The messages published or scheduled, in order.</summary>
    public IReadOnlyList<object> Published => _published;

    public bool Committed { get; private set; }

    public void Insert<T>(string collection, string id, T value) where T : class => Write(DocumentWrite.Insert(collection, id, value), value);

    public void Replace<T>(string collection, StoredDocument<T> current, T value) where T : class =>
        Write(DocumentWrite.Replace(collection, current.Id, value, current.Version), value);

    public void Upsert<T>(string collection, string id, T value) where T : class => Write(DocumentWrite.Upsert(collection, id, value), value);

    public void Delete(string collection, string id, long? expectedVersion = null) => Write(DocumentWrite.Delete(collection, id, expectedVersion), null);

    public void Publish<T>(T message) where T : class => Send(message);

    public void Schedule<T>(string jobId, DateTimeOffset dueAt, T message, TimeSpan? repeatEvery = null) where T : class => Send(message);

    public void CancelScheduled(string jobId, long? expectedVersion = null) => RefuseIfRefusing();

    private readonly List<Action> _onCommitted = [];

    /// <summary>Whether the consumer said the message was not for it (<see cref="IUnitOfWork.NotForThisConsumer"/>).</summary>
    public bool SaidNotForThisConsumer { get; private set; }

    public void NotForThisConsumer() => SaidNotForThisConsumer = true;

    public void OnCommitted(Action callback)
    {
        RefuseIfRefusing();
        _onCommitted.Add(callback);
    }

    public Task CommitAsync(CancellationToken cancellationToken = default)
    {
        if (Mode == TestUnitOfWorkMode.Refuse)
            return Task.FromException(new InvalidOperationException("A refused request was committed."));
        Committed = true;
        foreach (var callback in _onCommitted)
            callback();
        _onCommitted.Clear();
        return Task.CompletedTask;
    }

    public Task CommitAndDeliverLaterAsync(CancellationToken cancellationToken = default) => CommitAsync(cancellationToken);

    private void Write(DocumentWrite write, object? value)
    {
        RefuseIfRefusing();
        if (value is not null)
            _written.Add(value);
        if (Mode == TestUnitOfWorkMode.WriteThrough)
            store.CommitAsync([write]).GetAwaiter().GetResult();
    }

    private void Send(object message)
    {
        RefuseIfRefusing();
        _published.Add(message);
    }

    private void RefuseIfRefusing()
    {
        if (Mode == TestUnitOfWorkMode.Refuse)
            throw new InvalidOperationException("A refused request reached the unit of work.");
    }
}
