namespace QuoteToCash.Testing;

/// <summary>Waiting for what happens in the background: a consumer, a webhook delivery, another process.</summary>
public static class Polling
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Polls until the condition holds or the time runs out, then asks once more; returns whether it held. The test
    /// asserts on the result, with a message that says what did not happen.
    /// </summary>
    public static async Task<bool> Eventually(Func<Task<bool>> condition, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
                return true;
            await Task.Delay(interval ?? DefaultInterval, TestContext.Current.CancellationToken);
        }

        return await condition();
    }

    /// <inheritdoc cref="Eventually(Func{Task{bool}}, TimeSpan?, TimeSpan?)"/>
    public static Task<bool> Eventually(Func<bool> condition, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        Eventually(() => Task.FromResult(condition()), timeout, interval);
}
