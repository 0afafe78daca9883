using QuoteToCash.Sandbox.QuickBooks.Domain;
using QuoteToCash.Sandbox.QuickBooks.Domain.Rules;
using QuoteToCash.Sandbox.QuickBooks.State;
using QuoteToCash.Sandbox.QuickBooks.Webhooks;

namespace QuoteToCash.Sandbox.QuickBooks.Infrastructure;

/// <summary>How an Accounting API call is classified for limits and fault injection.</summary>
public enum CallKind { Read, Write, Batch }

/// <summary>
/// Every /v3/company/{realmId} call goes through the same steps, in QBO's order:
/// bearer token (401/403) → throttles (429, XML) → injected latency and errors → requestid replay →
/// the operation itself, under the state lock → webhooks queued → optionally the connection dropped after commit.
/// </summary>
public sealed class QboPipeline(
    SandboxState state,
    TokenService tokens,
    RateLimiter limiter,
    FaultInjector faults,
    RequestIdCache requestIds,
    WebhookQueue webhooks,
    QboClock clock)
{
    public const int MaxRequestIdLength = 50;
    public const int MaxBatchRequestIdLength = 36;

    /// <summary>The operation: runs under the state lock with the realm's <see cref="Operation"/>; throws <see cref="QboException"/> for faults.</summary>
    public delegate QboResult Handler(Operation operation, string? requestId);

    public async Task<IResult> RunAsync(HttpContext http, string realmId, CallKind kind, Handler handler)
    {
        var caller = tokens.Authenticate(http.Request.Headers.Authorization, realmId);
        if (caller.Failure is { } unauthenticated)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"Intuit\", error=\"invalid_token\"";
            return new QboHttpResult(unauthenticated);
        }

        using var slot = limiter.TryEnter(realmId, caller.ClientId!, kind == CallKind.Batch);
        if (slot is null)
            return new QboHttpResult(QboResponses.Throttled(clock));

        var fault = faults.Decide(realmId, kind != CallKind.Read);
        if (fault.LatencyMs > 0)
            await Task.Delay(fault.LatencyMs, http.RequestAborted);
        if (fault.ErrorStatus is { } injected)
            return new QboHttpResult(QboResponses.Injected(injected, clock));

        var requestId = http.Request.Query["requestid"].ToString();
        QboResult result;
        if (string.IsNullOrEmpty(requestId))
        {
            result = Execute(realmId, handler, null);
        }
        else
        {
            var max = kind == CallKind.Batch ? MaxBatchRequestIdLength : MaxRequestIdLength;
            if (requestId.Length > max)
                return new QboHttpResult(QboResponses.Fault(Faults.RequestIdTooLong(requestId, max), clock));
            (result, _) = await requestIds.RunOnceAsync(realmId, requestId, () => Execute(realmId, handler, requestId));
        }

        if (fault.DropAfterCommit)
        {
            // The write is done (and replayable by requestid); the client never hears about it.
            http.Abort();
            return Results.Empty;
        }
        return new QboHttpResult(result);
    }

    private QboResult Execute(string realmId, Handler handler, string? requestId)
    {
        lock (state.Gate)
        {
            // The token was valid, so the realm existed a moment ago; a reset in between leaves nothing to act on.
            if (!state.Data.Realms.TryGetValue(realmId, out var realm))
                return QboResponses.AuthenticationFailed("Malformed bearer token: token is not recognised", clock);
            var operation = new Operation(realm, clock);
            QboResult result;
            try
            {
                result = handler(operation, requestId);
            }
            catch (QboException fault)
            {
                result = QboResponses.Fault(fault, clock);
            }
            if (operation.Changes.Count > 0)
            {
                state.Touch();
                webhooks.Publish(state.Data, operation.Changes);
            }
            return result;
        }
    }
}
