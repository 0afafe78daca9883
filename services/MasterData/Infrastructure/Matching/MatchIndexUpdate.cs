using QuoteToCash.MasterData.Domain.Matching;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.MasterData.Infrastructure.Matching;

/// <summary>
/// The writes that file customers under their blocking keys. Commit them with the customer record, in the
/// same unit of work (<see cref="ApplyTo"/>) or the same <see cref="IDocumentStore.CommitAsync"/> (<see cref="Writes"/>).
/// Key documents are written against the version read, so two customers filed under one key at the same
/// time cannot lose each other: the second commit fails with a concurrency error and is retried.
/// </summary>
public sealed class MatchIndexUpdate
{
    private readonly List<Action<IUnitOfWork>> _unitOfWorkWrites = [];
    private readonly List<DocumentWrite> _writes = [];

    public IReadOnlyList<DocumentWrite> Writes => _writes;

    public void ApplyTo(IUnitOfWork unitOfWork)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        foreach (var write in _unitOfWorkWrites)
            write(unitOfWork);
    }

    internal void SaveKey(string id, StoredDocument<CustomerMatchKey>? loaded, CustomerMatchKey value)
    {
        if (loaded is null)
        {
            _writes.Add(DocumentWrite.Insert(CustomerMatchKey.CollectionName, id, value));
            _unitOfWorkWrites.Add(u => u.Insert(CustomerMatchKey.CollectionName, id, value));
        }
        else
        {
            _writes.Add(DocumentWrite.Replace(CustomerMatchKey.CollectionName, id, value, loaded.Version));
            _unitOfWorkWrites.Add(u => u.Replace(CustomerMatchKey.CollectionName, loaded, value));
        }
    }

    internal void DeleteKey(StoredDocument<CustomerMatchKey> loaded)
    {
        _writes.Add(DocumentWrite.Delete(CustomerMatchKey.CollectionName, loaded.Id, loaded.Version));
        _unitOfWorkWrites.Add(u => u.Delete(CustomerMatchKey.CollectionName, loaded.Id, loaded.Version));
    }

    internal void SaveProfile(MatchProfile profile)
    {
        var id = CustomerMatchProfiles.IdFor(profile.TenantId, profile.CustomerId);
        _writes.Add(DocumentWrite.Upsert(CustomerMatchProfiles.CollectionName, id, profile));
        _unitOfWorkWrites.Add(u => u.Upsert(CustomerMatchProfiles.CollectionName, id, profile));
    }

    internal void DeleteProfile(string tenantId, Guid customerId)
    {
        var id = CustomerMatchProfiles.IdFor(tenantId, customerId);
        _writes.Add(DocumentWrite.Delete(CustomerMatchProfiles.CollectionName, id));
        _unitOfWorkWrites.Add(u => u.Delete(CustomerMatchProfiles.CollectionName, id));
    }
}
