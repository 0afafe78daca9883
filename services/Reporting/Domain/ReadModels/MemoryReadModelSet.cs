namespace QuoteToCash.Reporting.Domain.ReadModels;

/// <summary>Read models held in memory: what a rebuild replays the stored facts into before writing them.</summary>
public sealed class MemoryReadModelSet : IReadModelSet
{
    private readonly Dictionary<ReadModelKey, ReadModelDocument> _documents = [];

    public IReadOnlyDictionary<ReadModelKey, ReadModelDocument> Documents => _documents;

    public T Get<T>(string collection, string key, string tenantId) where T : ReadModelDocument, new()
    {
        var id = new ReadModelKey(collection, key);
        if (_documents.TryGetValue(id, out var found))
            return (T)found;
        var created = new T { TenantId = tenantId };
        _documents[id] = created;
        return created;
    }

    public T? Find<T>(string collection, string key) where T : ReadModelDocument =>
        _documents.TryGetValue(new ReadModelKey(collection, key), out var found) ? found as T : null;
}
