using System.Linq.Expressions;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Conventions;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;

namespace QuoteToCash.ServiceDefaults.Storage;

/// <summary>
/// The production engine. Multi-document commits run in a MongoDB transaction, so the server must be a
/// replica set (a single-node one is enough). Single writes need no transaction.
/// </summary>
public sealed class MongoDocumentStore : IDocumentStore
{
    private static readonly Lock ConventionGate = new();
    private static bool _conventionsRegistered;
    private readonly IMongoClient _client;
    private readonly IMongoDatabase _database;
    private readonly TimeProvider _time;

    public MongoDocumentStore(string connectionString, string databaseName, TimeProvider? time = null)
    {
        RegisterConventions();
        var url = MongoUrl.Create(connectionString);
        _client = new MongoClient(url);
        _database = _client.GetDatabase(string.IsNullOrEmpty(url.DatabaseName) ? databaseName : url.DatabaseName);
        _time = time ?? TimeProvider.System;
    }

    public string Engine => "mongodb";

    public string DatabaseName => _database.DatabaseNamespace.DatabaseName;

    public IDocumentCollection<T> Collection<T>(string name) where T : class => new MongoCollection<T>(Raw<T>(name));

    public async Task CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0)
            return;

        var now = _time.GetUtcNow().UtcDateTime;
        var steps = new StepBuilder(this, now);
        foreach (var write in writes)
            write.Accept(steps);

        if (steps.Steps.Count == 1)
        {
            await steps.Steps[0](null, cancellationToken);
            StoreMetrics.Committed(Engine, writes);
            return;
        }

        using var session = await _client.StartSessionAsync(cancellationToken: cancellationToken);
        var options = new TransactionOptions(ReadConcern.Snapshot, ReadPreference.Primary, WriteConcern.WMajority);
        await session.WithTransactionAsync(async (s, ct) =>
        {
            foreach (var step in steps.Steps)
                await step(s, ct);
            return true;
        }, options, cancellationToken);
        StoreMetrics.Committed(Engine, writes);
    }

    public Task PingAsync(CancellationToken cancellationToken = default) =>
        _database.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: cancellationToken);

    internal IMongoCollection<DocumentEnvelope<T>> Raw<T>(string name) where T : class => _database.GetCollection<DocumentEnvelope<T>>(name);

    private static void RegisterConventions()
    {
        lock (ConventionGate)
        {
            if (_conventionsRegistered)
                return;
            ConventionRegistry.Register("quotetocash", new ConventionPack
            {
                new IgnoreExtraElementsConvention(true),
                new EnumRepresentationConvention(BsonType.String),
            }, _ => true);
            BsonSerializer.TryRegisterSerializer(new GuidSerializer(GuidRepresentation.Standard));
            BsonSerializer.TryRegisterSerializer(new DecimalSerializer(BsonType.Decimal128));
            BsonSerializer.TryRegisterSerializer(new DateTimeOffsetSerializer(BsonType.DateTime));
            _conventionsRegistered = true;
        }
    }

    private static bool IsDuplicateKey(MongoException exception) => exception switch
    {
        MongoWriteException write => write.WriteError?.Category == ServerErrorCategory.DuplicateKey,
        MongoCommandException command => command.Code == 11000,
        _ => false,
    };

    private delegate Task Step(IClientSessionHandle? session, CancellationToken cancellationToken);

    private sealed class StepBuilder(MongoDocumentStore store, DateTime now) : IDocumentWriteVisitor
    {
        public List<Step> Steps { get; } = [];

        public void Insert<T>(InsertWrite<T> write) where T : class
        {
            var collection = store.Raw<T>(write.Collection);
            Steps.Add(async (session, ct) =>
            {
                var envelope = new DocumentEnvelope<T> { Id = write.Id, Version = 1, Updated = now, Data = write.Value };
                try
                {
                    if (session is null)
                        await collection.InsertOneAsync(envelope, cancellationToken: ct);
                    else
                        await collection.InsertOneAsync(session, envelope, cancellationToken: ct);
                }
                catch (MongoException exception) when (IsDuplicateKey(exception))
                {
                    throw new DuplicateDocumentException(write.Collection, write.Id, exception.Message, exception);
                }
            });
        }

        public void Replace<T>(ReplaceWrite<T> write) where T : class
        {
            var collection = store.Raw<T>(write.Collection);
            Steps.Add(async (session, ct) =>
            {
                var envelope = new DocumentEnvelope<T> { Id = write.Id, Version = write.ExpectedVersion + 1, Updated = now, Data = write.Value };
                var filter = Builders<DocumentEnvelope<T>>.Filter.Eq(e => e.Id, write.Id) &
                             Builders<DocumentEnvelope<T>>.Filter.Eq(e => e.Version, write.ExpectedVersion);
                ReplaceOneResult result;
                try
                {
                    result = session is null
                        ? await collection.ReplaceOneAsync(filter, envelope, cancellationToken: ct)
                        : await collection.ReplaceOneAsync(session, filter, envelope, cancellationToken: ct);
                }
                catch (MongoException exception) when (IsDuplicateKey(exception))
                {
                    throw new DuplicateDocumentException(write.Collection, write.Id, exception.Message, exception);
                }
                if (result.MatchedCount == 0)
                {
                    var actual = await CurrentVersion(collection, session, write.Id, ct);
                    throw new ConcurrencyConflictException(write.Collection, write.Id, write.ExpectedVersion, actual);
                }
            });
        }

        public void Upsert<T>(UpsertWrite<T> write) where T : class
        {
            var collection = store.Raw<T>(write.Collection);
            Steps.Add(async (session, ct) =>
            {
                var filter = Builders<DocumentEnvelope<T>>.Filter.Eq(e => e.Id, write.Id);
                var update = Builders<DocumentEnvelope<T>>.Update
                    .Inc(e => e.Version, 1L)
                    .Set(e => e.Updated, now)
                    .Set(e => e.Data, write.Value);
                var options = new UpdateOptions { IsUpsert = true };
                try
                {
                    if (session is null)
                        await collection.UpdateOneAsync(filter, update, options, ct);
                    else
                        await collection.UpdateOneAsync(session, filter, update, options, ct);
                }
                catch (MongoException exception) when (IsDuplicateKey(exception))
                {
                    throw new DuplicateDocumentException(write.Collection, write.Id, exception.Message, exception);
                }
            });
        }

        public void Delete(DeleteWrite write)
        {
            var collection = store._database.GetCollection<BsonDocument>(write.Collection);
            Steps.Add(async (session, ct) =>
            {
                var filter = Builders<BsonDocument>.Filter.Eq("_id", write.Id);
                if (write.ExpectedVersion is { } expected)
                    filter &= Builders<BsonDocument>.Filter.Eq("Version", expected);
                var result = session is null
                    ? await collection.DeleteOneAsync(filter, ct)
                    : await collection.DeleteOneAsync(session, filter, cancellationToken: ct);
                if (result.DeletedCount == 0 && write.ExpectedVersion is not null)
                {
                    var current = await (session is null
                        ? collection.Find(Builders<BsonDocument>.Filter.Eq("_id", write.Id))
                        : collection.Find(session, Builders<BsonDocument>.Filter.Eq("_id", write.Id))).FirstOrDefaultAsync(ct);
                    throw new ConcurrencyConflictException(write.Collection, write.Id, write.ExpectedVersion, current?["Version"].ToInt64());
                }
            });
        }

        private static async Task<long?> CurrentVersion<T>(IMongoCollection<DocumentEnvelope<T>> collection, IClientSessionHandle? session,
            string id, CancellationToken ct) where T : class
        {
            var find = session is null ? collection.Find(e => e.Id == id) : collection.Find(session, e => e.Id == id);
            var current = await find.FirstOrDefaultAsync(ct);
            return current?.Version;
        }
    }

    private sealed class MongoCollection<T>(IMongoCollection<DocumentEnvelope<T>> collection) : IDocumentCollection<T> where T : class
    {
        public string Name => collection.CollectionNamespace.CollectionName;

        public async Task<StoredDocument<T>?> GetAsync(string id, CancellationToken cancellationToken = default)
        {
            var envelope = await collection.Find(e => e.Id == id).FirstOrDefaultAsync(cancellationToken);
            return envelope?.ToStored();
        }

        public async Task<IReadOnlyList<StoredDocument<T>>> FindAsync(Expression<Func<T, bool>> predicate, int? limit = null,
            CancellationToken cancellationToken = default)
        {
            var find = collection.Find(EnvelopeExpressions.Lift(predicate)).SortBy(e => e.Id);
            var results = await (limit is { } n ? find.Limit(n) : find).ToListAsync(cancellationToken);
            return results.Select(e => e.ToStored()).ToList();
        }

        public async Task<IReadOnlyList<StoredDocument<T>>> FindPageAsync<TKey>(Expression<Func<T, bool>> predicate, Expression<Func<T, TKey>> orderBy,
            bool descending, int limit, CancellationToken cancellationToken = default)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
            var lifted = EnvelopeExpressions.Lift(orderBy);
            var member = Expression.Lambda<Func<DocumentEnvelope<T>, object>>(Expression.Convert(lifted.Body, typeof(object)), lifted.Parameters);
            var sort = descending ? Builders<DocumentEnvelope<T>>.Sort.Descending(member) : Builders<DocumentEnvelope<T>>.Sort.Ascending(member);
            var results = await collection.Find(EnvelopeExpressions.Lift(predicate)).Sort(sort).Limit(limit).ToListAsync(cancellationToken);
            return results.Select(e => e.ToStored()).ToList();
        }

        public Task<long> CountAsync(Expression<Func<T, bool>>? predicate = null, CancellationToken cancellationToken = default) =>
            predicate is null
                ? collection.CountDocumentsAsync(FilterDefinition<DocumentEnvelope<T>>.Empty, cancellationToken: cancellationToken)
                : collection.CountDocumentsAsync(EnvelopeExpressions.Lift(predicate), cancellationToken: cancellationToken);

        public async Task EnsureIndexAsync(string name, Expression<Func<T, object?>> key, bool unique = false,
            CancellationToken cancellationToken = default)
        {
            EnvelopeExpressions.MemberPath(key);
            var lifted = EnvelopeExpressions.Lift(key);
            var model = new CreateIndexModel<DocumentEnvelope<T>>(
                Builders<DocumentEnvelope<T>>.IndexKeys.Ascending(Expression.Lambda<Func<DocumentEnvelope<T>, object>>(lifted.Body, lifted.Parameters)),
                new CreateIndexOptions { Name = name, Unique = unique });
            await collection.Indexes.CreateOneAsync(model, cancellationToken: cancellationToken);
        }
    }
}
