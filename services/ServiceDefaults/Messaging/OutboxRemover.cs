using Microsoft.Extensions.Logging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.ServiceDefaults.Messaging;

/// <summary>
/// Removes delivered outbox records from the store in the background, gathering what arrives while a removal commit runs
/// into the next one (a group commit). Under load a service removes the records of many consumes in one commit instead
/// of one commit each, and a consume is acknowledged once the broker confirmed its messages, without waiting for the
/// removal. A record whose removal is lost (the process stops first) is sent again by the dispatcher after its lease;
/// consumers' inboxes recognise the repeat.
/// </summary>
internal sealed class OutboxRemover(IDocumentStore store, ILogger logger)
{
    private const int MaxPerCommit = 512;
    private readonly Lock _gate = new();
    private readonly List<DocumentWrite> _pending = [];
    private Task _running = Task.CompletedTask;

    /// <summary>Completes when everything queued so far has been removed (or given up on).</summary>
    public Task Idle
    {
        get
        {
            lock (_gate)
                return _running;
        }
    }

    public void Remove(IReadOnlyList<DocumentWrite> deletes)
    {
        if (deletes.Count == 0)
            return;
        lock (_gate)
        {
            _pending.AddRange(deletes);
            if (_running.IsCompleted)
                _running = Task.Run(DrainAsync);
        }
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<DocumentWrite> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                    return;
                var take = Math.Min(MaxPerCommit, _pending.Count);
                batch = _pending.GetRange(0, take);
                _pending.RemoveRange(0, take);
            }
            try
            {
                await RemoveAsync(batch);
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "Removing {Count} delivered outbox record(s) failed; the dispatcher will find them after their lease", batch.Count);
            }
        }
    }

    private async Task RemoveAsync(List<DocumentWrite> deletes)
    {
        if (deletes.Count > 1)
        {
            try
            {
                await store.CommitAsync(deletes);
                return;
            }
            catch (ConcurrencyConflictException)
            {
                // One of them was claimed by a dispatcher in between (nothing was applied): remove the others one by one.
            }
        }
        foreach (var delete in deletes)
        {
            try
            {
                await store.CommitAsync([delete]);
            }
            catch (ConcurrencyConflictException)
            {
                // Claimed by a dispatcher in between: it will find the message already consumed downstream.
            }
        }
    }
}
