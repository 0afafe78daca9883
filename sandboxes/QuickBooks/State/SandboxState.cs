namespace QuoteToCash.Sandbox.QuickBooks.State;

/// <summary>
/// The sandbox's memory. Every read or write of <see cref="Data"/> happens under <see cref="Gate"/>:
/// one lock keeps a realm's entities, its balances and the token tables consistent, and the sandbox
/// serves a handful of clients, not a production load.
/// </summary>
public sealed class SandboxState(SandboxData initial)
{
    private long _version;

    public object Gate { get; } = new();

    public SandboxData Data { get; private set; } = initial;

    /// <summary>Grows on every change; the data-file writer saves when it moves.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Raised after <see cref="Reset"/> so caches (requestid, limits, faults, webhooks) clear too.</summary>
    public event Action? WasReset;

    public void Touch() => Interlocked.Increment(ref _version);

    public void Reset()
    {
        lock (Gate)
        {
            Data = new SandboxData();
            Touch();
        }
        WasReset?.Invoke();
    }
}
