using QuoteToCash.Reporting.Domain.ReadModels;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.Reporting.Infrastructure;

/// <summary>The read-model documents one event touches, loaded from the store, then written back through the unit of work.</summary>
public sealed class StoreReadModelSet : IReadModelSet
{
    private readonly Dictionary<ReadModelKey, (object? Loaded, ReadModelDocument? Value)> _documents = [];

    public static async Task<StoreReadModelSet> LoadAsync(IDocumentStore store, IEnumerable<ReadModelKey> keys, CancellationToken cancellationToken)
    {
        var set = new StoreReadModelSet();
        foreach (var key in keys.Distinct())
        {
            set._documents[key] = key.Collection switch
            {
                ReadModelCollections.Deals => await Load<DealFact>(store, key, cancellationToken),
                ReadModelCollections.Invoices => await Load<InvoiceFact>(store, key, cancellationToken),
                ReadModelCollections.Customers => await Load<CustomerFact>(store, key, cancellationToken),
                ReadModelCollections.Exceptions => await Load<ExceptionFact>(store, key, cancellationToken),
                _ => throw new InvalidOperationException($"'{key.Collection}' is no read-model collection."),
            };
        }
        return set;
    }

    private static async Task<(object?, ReadModelDocument?)> Load<T>(IDocumentStore store, ReadModelKey key, CancellationToken cancellationToken)
        where T : ReadModelDocument
    {
        var stored = await store.Collection<T>(key.Collection).GetAsync(key.Key, cancellationToken);
        return (stored, stored?.Value);
    }

    public T Get<T>(string collection, string key, string tenantId) where T : ReadModelDocument, new()
    {
        var id = new ReadModelKey(collection, key);
        if (!_documents.TryGetValue(id, out var entry))
            throw new InvalidOperationException($"{collection}/{key} was not loaded before the event was applied.");
        if (entry.Value is T value)
            return value;
        var created = new T { TenantId = tenantId };
        _documents[id] = (entry.Loaded, created);
        return created;
    }

    public T? Find<T>(string collection, string key) where T : ReadModelDocument =>
        _documents.TryGetValue(new ReadModelKey(collection, key), out var entry) ? entry.Value as T : null;

    /// <summary>Writes every document that exists after the event, stamped with <paramref name="ticks"/>: a replace of the version read, or an insert.</summary>
    public void WriteTo(IUnitOfWork unitOfWork, long ticks)
    {
        foreach (var (key, (loaded, value)) in _documents)
        {
            if (value is null)
                continue;
            value.UpdatedTicks = ticks;
            switch (value)
            {
                case DealFact d: unitOfWork.InsertOrReplace(key.Collection, key.Key, loaded as StoredDocument<DealFact>, d); break;
                case InvoiceFact i: unitOfWork.InsertOrReplace(key.Collection, key.Key, loaded as StoredDocument<InvoiceFact>, i); break;
                case CustomerFact c: unitOfWork.InsertOrReplace(key.Collection, key.Key, loaded as StoredDocument<CustomerFact>, c); break;
                case ExceptionFact e: unitOfWork.InsertOrReplace(key.Collection, key.Key, loaded as StoredDocument<ExceptionFact>, e); break;
            }
        }
    }
}
