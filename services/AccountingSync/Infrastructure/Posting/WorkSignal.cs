namespace QuoteToCash.AccountingSync.Infrastructure.Posting;

/// <summary>Wakes a queue's worker when work is queued: at most one wake-up is pending, however often it is notified.</summary>
public abstract class WorkSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    /// <summary>Waits for a notification or the timeout; true when it was notified.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
