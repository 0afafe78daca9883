using System.Linq.Expressions;

namespace QuoteToCash.ServiceDefaults.Storage;

/// <summary>A document as the store holds it: its key, its version (1 on insert, +1 on every write) and its value.</summary>
public sealed record StoredDocument<T>(string Id, long Version, T Value) where T : class;

/// <summary>
/// The document-store port every service persists through. Two engines implement it: LiteDB (embedded,
/// one file per service) and MongoDB (replica set). Documents are classes with a parameterless
/// constructor and settable (or init) properties; money is <see cref="decimal"/>.
/// </summary>
public interface IDocumentStore
{
    /// <summary>"litedb" or "mongodb".</summary>
    string Engine { get; }

    IDocumentCollection<T> Collection<T>(string name) where T : class;

    /// <summary>
    /// Applies all writes atomically: either every write is applied or none is. Throws
    /// <see cref="ConcurrencyConflictException"/> when an expected version does not match and
    /// <see cref="DuplicateDocumentException"/> when an insert collides with an existing key or unique index.
    /// </summary>
    Task CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>Throws when the engine cannot be reached; used by the readiness check.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}

public interface IDocumentCollection<T> where T : class
{
    string Name { get; }

    Task<StoredDocument<T>?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Documents matching the predicate, ordered by key.</summary>
    Task<IReadOnlyList<StoredDocument<T>>> FindAsync(Expression<Func<T, bool>> predicate, int? limit = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of the documents matching the predicate, ordered by one member (ascending or descending; documents with equal values come in
    /// no promised order, so page on a member that rarely ties, such as a timestamp in ticks), at
    /// most <paramref name="limit"/> of them. Page on with a predicate past the last value seen (a keyset cursor); with an
    /// index on the member and the predicate's fields the engine reads only the page.
    /// </summary>
    Task<IReadOnlyList<StoredDocument<T>>> FindPageAsync<TKey>(Expression<Func<T, bool>> predicate, Expression<Func<T, TKey>> orderBy,
        bool descending, int limit, CancellationToken cancellationToken = default);

    Task<long> CountAsync(Expression<Func<T, bool>>? predicate = null, CancellationToken cancellationToken = default);

    /// <summary>Creates a secondary (or, with <paramref name="unique"/>, unique) index on one member path. Idempotent.</summary>
    Task EnsureIndexAsync(string name, Expression<Func<T, object?>> key, bool unique = false,
        CancellationToken cancellationToken = default);
}

/// <summary>One write of an atomic commit.</summary>
public abstract class DocumentWrite
{
    protected DocumentWrite(string collection, string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(collection);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Collection = collection;
        Id = id;
    }

    public string Collection { get; }

    public string Id { get; }

    internal abstract void Accept(IDocumentWriteVisitor visitor);

    public static DocumentWrite Insert<T>(string collection, string id, T value) where T : class => new InsertWrite<T>(collection, id, value);

    public static DocumentWrite Replace<T>(string collection, string id, T value, long expectedVersion) where T : class =>
        new ReplaceWrite<T>(collection, id, value, expectedVersion);

    /// <summary>Inserts, or overwrites whatever version is there.</summary>
    public static DocumentWrite Upsert<T>(string collection, string id, T value) where T : class => new UpsertWrite<T>(collection, id, value);

    /// <summary>Deletes the document; with an expected version, only that version (else a conflict).</summary>
    public static DocumentWrite Delete(string collection, string id, long? expectedVersion = null) =>
        new DeleteWrite(collection, id, expectedVersion);
}

internal interface IDocumentWriteVisitor
{
    void Insert<T>(InsertWrite<T> write) where T : class;
    void Replace<T>(ReplaceWrite<T> write) where T : class;
    void Upsert<T>(UpsertWrite<T> write) where T : class;
    void Delete(DeleteWrite write);
}

internal sealed class InsertWrite<T>(string collection, string id, T value) : DocumentWrite(collection, id) where T : class
{
    public T Value { get; } = value;
    internal override void Accept(IDocumentWriteVisitor visitor) => visitor.Insert(this);
}

internal sealed class ReplaceWrite<T>(string collection, string id, T value, long expectedVersion) : DocumentWrite(collection, id)
    where T : class
{
    public T Value { get; } = value;
    public long ExpectedVersion { get; } = expectedVersion;
    internal override void Accept(IDocumentWriteVisitor visitor) => visitor.Replace(this);
}

internal sealed class UpsertWrite<T>(string collection, string id, T value) : DocumentWrite(collection, id) where T : class
{
    public T Value { get; } = value;
    internal override void Accept(IDocumentWriteVisitor visitor) => visitor.Upsert(this);
}

internal sealed class DeleteWrite(string collection, string id, long? expectedVersion) : DocumentWrite(collection, id)
{
    public long? ExpectedVersion { get; } = expectedVersion;
    internal override void Accept(IDocumentWriteVisitor visitor) => visitor.Delete(this);
}

public abstract class DocumentStoreException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Somebody else wrote the document since it was read. Reload and try again.</summary>
public sealed class ConcurrencyConflictException(string collection, string id, long? expectedVersion, long? actualVersion)
    : DocumentStoreException(
        $"Document '{id}' in '{collection}' was changed concurrently (expected version {expectedVersion?.ToString() ?? "none"}, found {actualVersion?.ToString() ?? "none"}).")
{
    public string Collection { get; } = collection;
    public string Id { get; } = id;
    public long? ExpectedVersion { get; } = expectedVersion;
    public long? ActualVersion { get; } = actualVersion;
}

/// <summary>An insert collided with an existing key or a unique index.</summary>
public sealed class DuplicateDocumentException(string collection, string id, string? index, Exception? inner = null)
    : DocumentStoreException($"Document '{id}' in '{collection}' duplicates an existing {(index is null ? "key" : $"value of unique index '{index}'")}.", inner)
{
    public string Collection { get; } = collection;
    public string Id { get; } = id;
    public string? Index { get; } = index;
}

/// <summary>Single-write conveniences over <see cref="IDocumentStore.CommitAsync"/>.</summary>
public static class DocumentStoreExtensions
{
    public static async Task<StoredDocument<T>> InsertAsync<T>(this IDocumentStore store, string collection, string id, T value,
        CancellationToken cancellationToken = default) where T : class
    {
        await store.CommitAsync([DocumentWrite.Insert(collection, id, value)], cancellationToken);
        return new StoredDocument<T>(id, 1, value);
    }

    public static async Task<StoredDocument<T>> ReplaceAsync<T>(this IDocumentStore store, string collection, StoredDocument<T> current,
        T value, CancellationToken cancellationToken = default) where T : class
    {
        await store.CommitAsync([DocumentWrite.Replace(collection, current.Id, value, current.Version)], cancellationToken);
        return new StoredDocument<T>(current.Id, current.Version + 1, value);
    }

    public static Task DeleteAsync(this IDocumentStore store, string collection, string id, long? expectedVersion = null,
        CancellationToken cancellationToken = default) =>
        store.CommitAsync([DocumentWrite.Delete(collection, id, expectedVersion)], cancellationToken);
}
