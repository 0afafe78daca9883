using Microsoft.Extensions.Options;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Infrastructure.Outbound.Operations;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.ServiceDefaults.Telemetry;

namespace QuoteToCash.AccountingSync.Infrastructure.Outbound;

/// <summary>
/// Drains each realm's outbound queue (<c>outbound-queue</c>, the queued entries) into QuickBooks, one operation at a
/// time in the realm's order, through the same client and rate governor as posting. An operation's writes, what it
/// publishes and the removal of its entry commit together, so it is done exactly once; its QuickBooks writes carry
/// requestids derived from the command, so one repeated after a crash replays instead of writing twice.
/// <list type="bullet">
/// <item>Refused for good: the operation answers it itself (a failure message, a sync exception) and the entry goes.</item>
/// <item>Throttled or unanswered: the entry stays, at once the first time and then after a backoff that doubles, and
/// the realm's later operations wait behind it, so the order holds; from the patience-th attempt in a row finance is
/// told (RateLimited or QboUnavailable), and the next success resolves it.</item>
/// <item>The authorisation lapsed: the entry stays untouched and the realm is paused until QuickBooks is reconnected.</item>
/// </list>
/// </summary>
public sealed class OutboundOperationWorker(
    IDocumentStore store,
    IServiceScopeFactory scopes,
    OutboxDelivery outbox,
    OutboundSignal signal,
    RealmDrainScheduler drains,
    IOptions<PostingOptions> options,
    TimeProvider time,
    ILogger<OutboundOperationWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Every pass asks for the queued entries, every drain for a tenant's, and every posting of an awaited invoice for
        // what waits for it: each question goes through an index.
        var entries = store.Collection<OutboundEntry>(OutboundEntry.CollectionName);
        await entries.EnsureIndexAsync("state", e => e.State, cancellationToken: stoppingToken);
        await entries.EnsureIndexAsync("tenant", e => e.TenantId, cancellationToken: stoppingToken);
        await entries.EnsureIndexAsync("waits-for", e => e.WaitsFor, cancellationToken: stoppingToken);
        await drains.RunAsync("outbound", TenantsWithWorkAsync, DrainAsync, ct => signal.WaitAsync(options.Value.PollInterval, ct), stoppingToken);
    }

    private async Task<IEnumerable<string>> TenantsWithWorkAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return (await store.Collection<OutboundEntry>(OutboundEntry.CollectionName).FindAsync(e => e.State == OutboundState.Queued, 5000, cancellationToken))
            .Where(e => Due(e.Value, now)).Select(e => e.Value.TenantId);
    }

    private static bool Due(OutboundEntry entry, DateTime now) => entry.NotBefore is not { } notBefore || notBefore <= now;

    /// <summary>Runs the tenant's queued operations in order; stops at one that has to wait, so nothing overtakes it.</summary>
    public async Task DrainAsync(string tenantId, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var queued = (await store.Collection<OutboundEntry>(OutboundEntry.CollectionName).FindAsync(e => e.TenantId == tenantId, 1000, cancellationToken))
                    .Where(e => e.Value.State == OutboundState.Queued).OrderBy(e => e.Value.Sequence).ToList();
                if (queued.Count == 0)
                    return;
                foreach (var entry in queued)
                {
                    if (!Due(entry.Value, time.GetUtcNow().UtcDateTime) || !await RunAsync(entry, cancellationToken))
                        return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Outbound operations of tenant {Tenant} failed; they resume on the next pass", tenantId);
        }
    }

    /// <returns>False when the realm's queue has to wait (QuickBooks unanswered or throttling, or the authorisation lapsed).</returns>
    private async Task<bool> RunAsync(StoredDocument<OutboundEntry> stored, CancellationToken cancellationToken)
    {
        var entry = stored.Value;
        using var trace = entry.Trace.ContinueTrace("run " + entry.Operation).WithFlow(entry.TenantId, entry.FlowId);
        var command = entry.Command();
        if (command is null)
        {
            // A command type this version does not know: kept out of the way as an exception, never run blind.
            await GiveUpAsync(stored, null, $"The {entry.Operation} in the outbound queue is of a kind this version cannot run ({entry.CommandType}).", cancellationToken);
            return true;
        }
        await using var scope = scopes.CreateAsyncScope();
        var unitOfWork = scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
        try
        {
            switch (command)
            {
                case SyncCustomer customer:
                    await scope.ServiceProvider.GetRequiredService<SyncCustomerOperation>().RunAsync(customer, cancellationToken);
                    break;
                case SendInvoice send:
                    await scope.ServiceProvider.GetRequiredService<SendInvoiceOperation>().RunAsync(send, cancellationToken);
                    break;
                case PostTimeActivity time:
                    await scope.ServiceProvider.GetRequiredService<PostTimeActivityOperation>().RunAsync(time, cancellationToken);
                    break;
                default:
                    await GiveUpAsync(stored, command, $"The outbound queue cannot run a {entry.Operation}.", cancellationToken);
                    return true;
            }
            unitOfWork.Delete(OutboundEntry.CollectionName, stored.Id, stored.Version);
            await unitOfWork.CommitAsync(cancellationToken);
            return true;
        }
        catch (QboException fault) when (fault.NeedsReauthorization)
        {
            logger.LogWarning("The {Operation} {Subject} of tenant {Tenant} waits for QuickBooks to be reconnected", entry.Operation, entry.Subject, entry.TenantId);
            return false;
        }
        catch (QboException fault) when (fault.IsRetryable)
        {
            await DeferAsync(stored, command, fault, cancellationToken);
            return false;
        }
        catch (DocumentStoreException conflict)
        {
            // Someone changed what the operation read (a redelivered command replaced the entry): it goes again on the next
            // pass, with the same requestids, so QuickBooks replays what it already did.
            logger.LogInformation("The {Operation} {Subject} of tenant {Tenant} goes again: {Reason}", entry.Operation, entry.Subject, entry.TenantId, conflict.Message);
            return false;
        }
    }

    private async Task DeferAsync(StoredDocument<OutboundEntry> stored, object command, QboException fault, CancellationToken cancellationToken)
    {
        var entry = stored.Value;
        var now = time.GetUtcNow();
        entry.UnansweredPasses++;
        entry.NotBefore = (now + PostingPace.UnansweredBackoff(entry.UnansweredPasses, options.Value.UnansweredBackoff, options.Value.MaxUnansweredBackoff)).UtcDateTime;
        var throttled = fault.Kind == QboErrorKind.Throttled;
        entry.Explanation = throttled
            ? $"QuickBooks kept throttling the company's requests ({entry.UnansweredPasses} attempts so far); it goes again by itself."
            : $"QuickBooks did not answer ({entry.UnansweredPasses} attempts so far: {FailureKinds.Detail(fault)}); it goes again by itself.";
        var unitOfWork = new UnitOfWork(store, outbox, time);
        unitOfWork.Replace(OutboundEntry.CollectionName, stored, entry);
        if (entry.UnansweredPasses >= options.Value.UnansweredPatience)
        {
            var (entity, entityId) = ExceptionSubject(command, entry);
            unitOfWork.Publish(new OpenSyncException
            {
                TenantId = entry.TenantId,
                Kind = throttled ? SyncExceptionKind.RateLimited : SyncExceptionKind.QboUnavailable,
                Entity = entity,
                EntityId = entityId,
                Operation = entry.Operation,
                FlowId = entry.FlowId,
                Message = $"The {entry.Operation} is waiting in the outbound queue: {entry.Explanation}",
                SuggestedFix = throttled
                    ? "Nothing needs fixing. Another app may be using up the company's QuickBooks allowance; it goes by itself, or press Retry later."
                    : "Nothing needs fixing. Check QuickBooks' status; it goes by itself once QuickBooks answers, or press Retry (the same requestid is sent, so nothing is written twice).",
                Detail = fault.Message,
                CommandType = entry.CommandType,
                CommandJson = entry.CommandJson,
                OccurredAt = now,
            });
        }
        await unitOfWork.CommitAsync(cancellationToken);
        logger.LogWarning("The {Operation} {Subject} of tenant {Tenant} got no answer ({Passes} in a row); it goes again after {NotBefore:o}", entry.Operation,
            entry.Subject, entry.TenantId, entry.UnansweredPasses, entry.NotBefore);
    }

    private async Task GiveUpAsync(StoredDocument<OutboundEntry> stored, object? command, string message, CancellationToken cancellationToken)
    {
        var entry = stored.Value;
        var (entity, entityId) = ExceptionSubject(command, entry);
        var unitOfWork = new UnitOfWork(store, outbox, time);
        unitOfWork.Delete(OutboundEntry.CollectionName, stored.Id, stored.Version);
        unitOfWork.Publish(new OpenSyncException
        {
            TenantId = entry.TenantId, Kind = SyncExceptionKind.PoisonMessage, Entity = entity, EntityId = entityId, Operation = entry.Operation,
            FlowId = entry.FlowId, Message = message, SuggestedFix = "Ask the platform's operators to look at this command; press Retry once they have.",
            CommandType = entry.CommandType, CommandJson = entry.CommandJson, OccurredAt = time.GetUtcNow(),
        });
        await unitOfWork.CommitAsync(cancellationToken);
    }

    /// <summary>The entity the exception queue files an operation under: the same as the operation's own refusals and successes, so a success resolves it.</summary>
    private static (string Entity, string EntityId) ExceptionSubject(object? command, OutboundEntry entry) => command switch
    {
        SyncCustomer customer => (SyncCustomerOperation.ExceptionEntity, customer.CustomerId.ToString("D")),
        SendInvoice send => ("Invoice", send.InvoiceId.ToString("D")),
        PostTimeActivity time => (PostTimeActivityOperation.Entity, time.TimeEntryId),
        _ => ("Command", entry.Subject),
    };
}
