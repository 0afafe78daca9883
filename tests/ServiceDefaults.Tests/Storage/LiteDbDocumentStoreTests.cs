using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Tests.Infrastructure;

namespace QuoteToCash.ServiceDefaults.Tests.Storage;

public sealed class LiteDbDocumentStoreTests : DocumentStoreContract, IDisposable
{
    private readonly TempDirectory _directory = new();
    private LiteDbDocumentStore? _store;

    protected override IDocumentStore Store => _store ??= new LiteDbDocumentStore(_directory.File("contract.db"));

    [Fact]
    public async Task Documents_survive_closing_and_reopening_the_file()
    {
        await Store.InsertAsync(Invoices, "a", Sample("INV-1"), TestContext.Current.CancellationToken);
        _store!.Dispose();
        _store = null;

        using var reopened = new LiteDbDocumentStore(_directory.File("contract.db"));

        var stored = await reopened.Collection<SampleInvoice>(Invoices).GetAsync("a", TestContext.Current.CancellationToken);
        Assert.Equal("INV-1", stored!.Value.Number);
        Assert.Equal(1234.5678m, stored.Value.Total);
    }

    [Fact]
    public void Each_service_gets_its_own_file_under_the_data_directory()
    {
        var options = new StorageOptions { DataDirectory = _directory.Path };
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();

        using var store = (LiteDbDocumentStore)StorageExtensions.Create(options, configuration, "billing-rules", TimeProvider.System);

        Assert.Equal(Path.Combine(_directory.Path, "billing-rules", "billing-rules.db"), store.FilePath);
        Assert.True(File.Exists(store.FilePath));
    }

    public void Dispose()
    {
        _store?.Dispose();
        _directory.Dispose();
    }
}
