using Microsoft.Extensions.Logging.Abstractions;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Tests.Infrastructure;

namespace QuoteToCash.ServiceDefaults.Tests.Messaging;

/// <summary>
/// Delivered outbox records leave the store in the background: what is queued while a removal commit runs goes in the
/// next one, and a record a dispatcher claimed meanwhile does not hold back the others.
/// </summary>
public sealed class OutboxRemoverTests
{
    [Fact]
    public async Task Removals_queued_while_a_commit_runs_go_together_in_the_next_commit()
    {
        using var directory = new TempDirectory();
        using var inner = new LiteDbDocumentStore(directory.File("outbox.db"));
        var keys = Enumerable.Range(0, 20).Select(i => $"record-{i:00}").ToList();
        await inner.CommitAsync(keys.Select(k => DocumentWrite.Insert(OutboxRecord.CollectionName, k, new OutboxRecord { MessageType = k })).ToList(),
            TestContext.Current.CancellationToken);
        var store = new GatedStore(inner);
        var remover = new OutboxRemover(store, NullLogger.Instance);

        remover.Remove([DocumentWrite.Delete(OutboxRecord.CollectionName, keys[0], 1)]);
        await store.FirstCommitStarted.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        foreach (var key in keys.Skip(1))
            remover.Remove([DocumentWrite.Delete(OutboxRecord.CollectionName, key, 1)]);
        store.Release.SetResult();
        await remover.Idle.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(0, await inner.Collection<OutboxRecord>(OutboxRecord.CollectionName).CountAsync(cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal([1, 19], store.CommitSizes);
    }

    [Fact]
    public async Task A_record_claimed_by_the_dispatcher_meanwhile_is_left_to_it_and_the_others_are_removed()
    {
        using var directory = new TempDirectory();
        using var store = new LiteDbDocumentStore(directory.File("outbox.db"));
        await store.CommitAsync(
        [
            DocumentWrite.Insert(OutboxRecord.CollectionName, "a", new OutboxRecord { MessageType = "a" }),
            DocumentWrite.Insert(OutboxRecord.CollectionName, "b", new OutboxRecord { MessageType = "b" }),
            DocumentWrite.Insert(OutboxRecord.CollectionName, "c", new OutboxRecord { MessageType = "c" }),
        ], TestContext.Current.CancellationToken);
        // The dispatcher claimed "b" (version 2) before the writer's removal arrived.
        await store.CommitAsync([DocumentWrite.Replace(OutboxRecord.CollectionName, "b", new OutboxRecord { MessageType = "b", Attempts = 1 }, 1)],
            TestContext.Current.CancellationToken);
        var remover = new OutboxRemover(store, NullLogger.Instance);

        remover.Remove(new[] { "a", "b", "c" }.Select(k => DocumentWrite.Delete(OutboxRecord.CollectionName, k, 1)).ToList());
        await remover.Idle.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var left = await store.Collection<OutboxRecord>(OutboxRecord.CollectionName).FindAsync(_ => true, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("b", Assert.Single(left).Id);
    }

    /// <summary>Holds the first commit until released, and records how many writes each commit carried.</summary>
    private sealed class GatedStore(IDocumentStore inner) : IDocumentStore
    {
        private int _commits;

        public TaskCompletionSource FirstCommitStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<int> CommitSizes { get; } = [];

        public string Engine => inner.Engine;

        public IDocumentCollection<T> Collection<T>(string name) where T : class => inner.Collection<T>(name);

        public async Task CommitAsync(IReadOnlyList<DocumentWrite> writes, CancellationToken cancellationToken = default)
        {
            lock (CommitSizes)
                CommitSizes.Add(writes.Count);
            if (Interlocked.Increment(ref _commits) == 1)
            {
                FirstCommitStarted.SetResult();
                await Release.Task;
            }
            await inner.CommitAsync(writes, cancellationToken);
        }

        public Task PingAsync(CancellationToken cancellationToken = default) => inner.PingAsync(cancellationToken);
    }
}
