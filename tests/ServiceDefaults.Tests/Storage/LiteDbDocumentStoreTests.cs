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

    [Fact]
    public async Task Callers_waiting_for_the_gate_wait_without_holding_a_thread()
    {
        var store = (LiteDbDocumentStore)Store;
        await store.InsertAsync(Invoices, "a", Sample("INV-1"), TestContext.Current.CancellationToken);
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        // Another thread holds the gate (a long read) ...
        var holder = Task.Factory.StartNew(() => store.Read(() =>
        {
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return 0;
        }), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        // ... and a hundred reads and commits asked meanwhile hand back a pending task at once instead of blocking here.
        var asking = Task.Run(() => Enumerable.Range(0, 100).Select(i => i % 2 == 0
            ? (Task)store.Collection<SampleInvoice>(Invoices).GetAsync("a", CancellationToken.None)
            : store.CommitAsync([DocumentWrite.Upsert(Invoices, $"b{i}", Sample($"INV-B{i}"))], CancellationToken.None)).ToList(),
            TestContext.Current.CancellationToken);
        var asked = await asking.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.All(asked, task => Assert.False(task.IsCompleted));

        release.Set();
        await holder;
        await Task.WhenAll(asked).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(51, await store.Collection<SampleInvoice>(Invoices).CountAsync(cancellationToken: TestContext.Current.CancellationToken));
    }

    public void Dispose()
    {
        _store?.Dispose();
        _directory.Dispose();
    }
}
