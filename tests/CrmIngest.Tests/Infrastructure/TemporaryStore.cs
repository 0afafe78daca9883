using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.CrmIngest.Tests.Infrastructure;

/// <summary>crm-ingest's embedded store in a directory of its own, removed afterwards.</summary>
public sealed class TemporaryStore : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("q2c-crm-store-").FullName;

    public TemporaryStore() => Store = new LiteDbDocumentStore(Path.Combine(_directory, "crm-ingest.db"));

    public LiteDbDocumentStore Store { get; }

    public void Dispose()
    {
        Store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
