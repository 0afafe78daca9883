using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.MasterData.Tests.Infrastructure.Matching;

/// <summary>master-data's LiteDB store in a directory of its own, removed afterwards.</summary>
internal sealed class TemporaryStore : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "q2c-master-data-tests", Guid.NewGuid().ToString("N"));

    public TemporaryStore() => Store = new LiteDbDocumentStore(Path.Combine(_directory, "master-data.db"));

    public LiteDbDocumentStore Store { get; }

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
