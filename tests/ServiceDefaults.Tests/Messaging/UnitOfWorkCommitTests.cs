using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Tests.Infrastructure;

namespace QuoteToCash.ServiceDefaults.Tests.Messaging;

/// <summary>What a unit of work runs once its writes are in the store: a worker woken then finds what was written.</summary>
public sealed class UnitOfWorkCommitTests(RabbitMqBroker broker) : IDisposable
{
    private readonly TempDirectory _directory = new();

    private sealed class Note
    {
        public string Text { get; set; } = "";
    }

    private Task<IHost> StartHostAsync() => BusHost.StartAsync(broker, "q2c-tests-uow", _directory.File("uow.db"), _ => { });

    [Fact]
    public async Task A_commit_callback_runs_after_the_writes_are_stored_and_sees_them()
    {
        using var host = await StartHostAsync();
        using var scope = host.Services.CreateScope();
        var unitOfWork = scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
        var store = host.Store();
        StoredDocument<Note>? seen = null;
        var calls = 0;

        unitOfWork.Insert("notes", "n1", new Note { Text = "queued" });
        unitOfWork.OnCommitted(() =>
        {
            calls++;
            seen = store.Collection<Note>("notes").GetAsync("n1").GetAwaiter().GetResult();
        });
        Assert.Equal(0, calls);
        await unitOfWork.CommitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, calls);
        Assert.Equal("queued", seen?.Value.Text);

        // A callback belongs to one commit: the next commit does not run it again.
        unitOfWork.Insert("notes", "n2", new Note { Text = "second" });
        await unitOfWork.CommitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_commit_that_fails_runs_no_callback()
    {
        using var host = await StartHostAsync();
        using var scope = host.Services.CreateScope();
        var unitOfWork = scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
        await host.Store().CommitAsync([DocumentWrite.Insert("notes", "taken", new Note { Text = "first" })], TestContext.Current.CancellationToken);
        var calls = 0;

        unitOfWork.Insert("notes", "taken", new Note { Text = "again" });
        unitOfWork.OnCommitted(() => calls++);
        await Assert.ThrowsAsync<DuplicateDocumentException>(() => unitOfWork.CommitAsync(TestContext.Current.CancellationToken));

        Assert.Equal(0, calls);
        unitOfWork.Insert("notes", "other", new Note { Text = "later" });
        await unitOfWork.CommitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, calls); // cleared with the failed commit, not carried into the next one
    }

    public void Dispose() => _directory.Dispose();
}
