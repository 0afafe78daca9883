using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Text;
using LiteDB;

namespace QuoteToCash.ServiceDefaults.Storage;

/// <summary>
/// The embedded engine: one LiteDB file per service. LiteDB transactions belong to the calling thread,
/// so every commit runs synchronously inside one critical section; that also makes the version checks
/// and the writes of one commit a single atomic step with respect to every other writer in the process.
/// Reads take the same gate: under load, LiteDB 5.0 can hand a reader a document another thread is
/// still writing (seen as an envelope without its data), so nothing reads while a commit is applied.
/// The gate is waited for asynchronously: a busy service has many consumes waiting for it at once, and a blocking
/// lock would hold a thread-pool thread for each of them, starving the pool (timers, the broker's acknowledgements and
/// HTTP answers then wait for threads). Only the work inside the gate is synchronous, on one thread, as LiteDB wants.
/// </summary>
public sealed class LiteDbDocumentStore : IDocumentStore, IDisposable
{
    private readonly LiteDatabase _database;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, string> _names = new();

    /// <param name="shared">
    /// Open the file in LiteDB's shared mode, so several processes (replicas of one service) can use it: every operation
    /// opens the file under a machine-wide named mutex and closes it again, which costs throughput; a transaction holds
    /// the mutex until it commits. Only for replicas on one machine; production replicas share MongoDB.
    /// </param>
    public LiteDbDocumentStore(string filePath, TimeProvider? time = null, bool shared = false)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(filePath));
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        _time = time ?? TimeProvider.System;
        FilePath = filePath;
        Shared = shared;
        _database = new LiteDatabase(new ConnectionString { Filename = filePath, Connection = shared ? ConnectionType.Shared : ConnectionType.Direct }, CreateMapper());
    }

    public string FilePath { get; }

    /// <summary>Whether other processes may open the file too (LiteDB's shared mode).</summary>
    public bool Shared { get; }

    public string Engine => "litedb";

    public IDocumentCollection<T> Collection<T>(string name) where T : class => new LiteDbCollection<T>(this, name, CollectionName(name));

    public async Task CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        cancellationToken.ThrowIfCancellationRequested();
        if (writes.Count == 0)
            return;

        await _gate.WaitAsync(cancellationToken);
        try
        {
            _database.BeginTrans();
            try
            {
                var applier = new Applier(this, _time.GetUtcNow().UtcDateTime);
                foreach (var write in writes)
                    write.Accept(applier);
                _database.Commit();
            }
            catch
            {
                _database.Rollback();
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
        StoreMetrics.Committed(Engine, writes);
    }

    public Task PingAsync(CancellationToken cancellationToken = default) => ReadAsync(() => _database.UserVersion, cancellationToken);

    internal TResult Read<TResult>(Func<TResult> read)
    {
        _gate.Wait();
        try
        {
            return read();
        }
        finally
        {
            _gate.Release();
        }
    }

    internal async Task<TResult> ReadAsync<TResult>(Func<TResult> read, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return read();
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _database.Dispose();
        _gate.Dispose();
    }

    /// <summary>The name of the index LiteDB would read to answer a find on the collection ("_id" when it reads them all).</summary>
    internal string IndexFor<T>(string collection, Expression<Func<T, bool>> predicate) where T : class =>
        Read(() => Raw<T>(CollectionName(collection)).Query().Where(EnvelopeExpressions.Lift(predicate)).GetPlan()["index"]["name"].AsString);

    internal ILiteCollection<DocumentEnvelope<T>> Raw<T>(string physicalName) where T : class =>
        _database.GetCollection<DocumentEnvelope<T>>(physicalName);

    /// <summary>LiteDB accepts letters, digits and '_' in collection names; ours may carry '-' or '.'.</summary>
    internal string CollectionName(string name) => _names.GetOrAdd(name, static n =>
    {
        var builder = new StringBuilder(n.Length);
        foreach (var c in n)
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        if (builder.Length == 0 || !char.IsAsciiLetter(builder[0]))
            builder.Insert(0, 'c');
        return builder.ToString();
    });

    private static BsonMapper CreateMapper()
    {
        // Finance data must round-trip exactly: keep empty strings and whitespace as they were.
        var mapper = new BsonMapper { EmptyStringToNull = false, TrimWhitespace = false, EnumAsInteger = false, SerializeNullValues = false };
        mapper.RegisterType(d => new BsonValue(d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            b => DateOnly.ParseExact(b.AsString, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        mapper.RegisterType(t => new BsonValue(t.ToString("HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture)),
            b => TimeOnly.Parse(b.AsString, System.Globalization.CultureInfo.InvariantCulture));
        mapper.RegisterType(d => new BsonValue(d.UtcDateTime), b => new DateTimeOffset(DateTime.SpecifyKind(b.AsDateTime.ToUniversalTime(), DateTimeKind.Utc)));
        return mapper;
    }

    private static bool IsDuplicateKey(LiteException exception) => exception.ErrorCode == LiteException.INDEX_DUPLICATE_KEY;

    private sealed class Applier(LiteDbDocumentStore store, DateTime now) : IDocumentWriteVisitor
    {
        public void Insert<T>(InsertWrite<T> write) where T : class
        {
            var collection = store.Raw<T>(store.CollectionName(write.Collection));
            if (collection.FindById(write.Id) is not null)
                throw new DuplicateDocumentException(write.Collection, write.Id, null);
            try
            {
                collection.Insert(new DocumentEnvelope<T> { Id = write.Id, Version = 1, Updated = now, Data = write.Value });
            }
            catch (LiteException exception) when (IsDuplicateKey(exception))
            {
                throw new DuplicateDocumentException(write.Collection, write.Id, exception.Message, exception);
            }
        }

        public void Replace<T>(ReplaceWrite<T> write) where T : class
        {
            var collection = store.Raw<T>(store.CollectionName(write.Collection));
            var current = collection.FindById(write.Id);
            if (current is null || current.Version != write.ExpectedVersion)
                throw new ConcurrencyConflictException(write.Collection, write.Id, write.ExpectedVersion, current?.Version);
            Update(collection, write.Collection, new DocumentEnvelope<T> { Id = write.Id, Version = current.Version + 1, Updated = now, Data = write.Value });
        }

        public void Upsert<T>(UpsertWrite<T> write) where T : class
        {
            var collection = store.Raw<T>(store.CollectionName(write.Collection));
            var current = collection.FindById(write.Id);
            var envelope = new DocumentEnvelope<T> { Id = write.Id, Version = (current?.Version ?? 0) + 1, Updated = now, Data = write.Value };
            if (current is null)
                Insert(new InsertWrite<T>(write.Collection, write.Id, write.Value));
            else
                Update(collection, write.Collection, envelope);
        }

        public void Delete(DeleteWrite write)
        {
            var collection = store._database.GetCollection(store.CollectionName(write.Collection));
            var current = collection.FindById(write.Id);
            if (current is null)
            {
                if (write.ExpectedVersion is not null)
                    throw new ConcurrencyConflictException(write.Collection, write.Id, write.ExpectedVersion, null);
                return;
            }
            var version = current["Version"].AsInt64;
            if (write.ExpectedVersion is { } expected && expected != version)
                throw new ConcurrencyConflictException(write.Collection, write.Id, expected, version);
            collection.Delete(write.Id);
        }

        private static void Update<T>(ILiteCollection<DocumentEnvelope<T>> collection, string name, DocumentEnvelope<T> envelope) where T : class
        {
            try
            {
                collection.Update(envelope);
            }
            catch (LiteException exception) when (IsDuplicateKey(exception))
            {
                throw new DuplicateDocumentException(name, envelope.Id, exception.Message, exception);
            }
        }
    }

    private sealed class LiteDbCollection<T>(LiteDbDocumentStore store, string name, string physicalName) : IDocumentCollection<T>
        where T : class
    {
        public string Name => name;

        private ILiteCollection<DocumentEnvelope<T>> Raw => store.Raw<T>(physicalName);

        public async Task<StoredDocument<T>?> GetAsync(string id, CancellationToken cancellationToken = default)
        {
            var envelope = await store.ReadAsync(() => Raw.FindById(id), cancellationToken);
            if (envelope is not null && envelope.Data is null)
                throw new InvalidDataException($"Document '{id}' in '{name}' could not be read as {typeof(T).Name}.");
            return envelope?.ToStored();
        }

        public async Task<IReadOnlyList<StoredDocument<T>>> FindAsync(Expression<Func<T, bool>> predicate, int? limit = null,
            CancellationToken cancellationToken = default)
        {
            var lifted = EnvelopeExpressions.Lift(predicate);
            var results = await store.ReadAsync(() =>
            {
                var query = Raw.Query().Where(lifted).OrderBy(e => e.Id);
                return limit is { } n ? query.Limit(n).ToList() : query.ToList();
            }, cancellationToken);
            return results.Select(e => e.ToStored()).ToList();
        }

        public async Task<IReadOnlyList<StoredDocument<T>>> FindPageAsync<TKey>(Expression<Func<T, bool>> predicate, Expression<Func<T, TKey>> orderBy,
            bool descending, int limit, CancellationToken cancellationToken = default)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
            var lifted = EnvelopeExpressions.Lift(predicate);
            var order = EnvelopeExpressions.Lift(orderBy);
            var results = await store.ReadAsync(() => Raw.Query().Where(lifted)
                .OrderBy(order, descending ? Query.Descending : Query.Ascending)
                .Limit(limit)
                .ToList(), cancellationToken);
            return results.Select(e => e.ToStored()).ToList();
        }

        public Task<long> CountAsync(Expression<Func<T, bool>>? predicate = null, CancellationToken cancellationToken = default)
        {
            var lifted = predicate is null ? null : EnvelopeExpressions.Lift(predicate);
            return store.ReadAsync(() => lifted is null ? Raw.LongCount() : Raw.LongCount(lifted), cancellationToken);
        }

        public Task EnsureIndexAsync(string indexName, Expression<Func<T, object?>> key, bool unique = false,
            CancellationToken cancellationToken = default)
        {
            // LiteDB maps a member named Id to _id at every level, as its mapper does.
            var path = EnvelopeExpressions.MemberPath(key).Select(segment => segment == "Id" ? "_id" : segment);
            var expression = "$.Data." + string.Join('.', path);
            return store.ReadAsync(() => Raw.EnsureIndex(store.CollectionName(indexName), BsonExpression.Create(expression), unique), cancellationToken);
        }
    }
}
