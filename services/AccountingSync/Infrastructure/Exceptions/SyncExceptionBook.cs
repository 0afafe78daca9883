using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.Exceptions;

/// <summary>
/// The one place that writes exception records. Every change goes into the caller's unit of work (a consume's or a
/// request's), so a record, its open key, its SLA job and any message a change sends commit together. Opening a record
/// publishes <see cref="SyncExceptionOpened"/>, closing one (resolved or ignored) <see cref="SyncExceptionClosed"/>: reporting's
/// exception KPIs are built from them.
/// </summary>
public sealed class SyncExceptionBook(IUnitOfWork unitOfWork, TimeProvider time)
{
    /// <summary>The actor named in the history for what the platform did by itself.</summary>
    public const string Platform = "platform";

    private IDocumentCollection<SyncExceptionRecord> Records => unitOfWork.Store.Collection<SyncExceptionRecord>(SyncExceptionRecord.CollectionName);

    public static string SlaJobId(Guid exceptionId) => $"sync-exception-sla:{exceptionId:N}";

    /// <summary>
    /// Opens a record for what was raised, or adds the occurrence to the open (or assigned) record of the same tenant, kind,
    /// entity and operation; the newest wording, detail and command replace the older ones there.
    /// </summary>
    public async Task<SyncExceptionRecord> RaiseAsync(OpenSyncException raised, CancellationToken cancellationToken)
    {
        var keyId = SyncExceptionOpenKey.KeyFor(ExceptionRules.OpenKey(raised.TenantId, raised.Kind, raised.Entity, raised.EntityId, raised.Operation));
        var key = await unitOfWork.Store.Collection<SyncExceptionOpenKey>(SyncExceptionOpenKey.CollectionName).GetAsync(keyId, cancellationToken);
        if (key is not null && await Records.GetAsync(SyncExceptionRecord.KeyFor(key.Value.ExceptionId), cancellationToken) is { } open
            && ExceptionRules.IsActive(open.Value.Status))
        {
            var record = open.Value;
            record.Occurrences++;
            if (raised.OccurredAt > record.LastSeen)
            {
                record.LastSeen = raised.OccurredAt;
                Describe(record, raised);
            }
            if (raised.OccurredAt < record.FirstSeen)
                record.FirstSeen = raised.OccurredAt;
            unitOfWork.Replace(SyncExceptionRecord.CollectionName, open, record);
            return record;
        }

        var now = time.GetUtcNow();
        var created = new SyncExceptionRecord
        {
            ExceptionId = Guid.CreateVersion7(now),
            TenantId = raised.TenantId,
            Kind = raised.Kind,
            RootCause = ExceptionRules.RootCauseOf(raised.Kind),
            Status = SyncExceptionStatus.Open,
            Entity = raised.Entity,
            EntityId = raised.EntityId,
            Operation = raised.Operation,
            OpenedAt = now,
            SlaDue = ExceptionRules.SlaDue(raised.Kind, now),
            Occurrences = 1,
            FirstSeen = raised.OccurredAt,
            LastSeen = raised.OccurredAt,
            History = [new ExceptionStatusChange { To = SyncExceptionStatus.Open, By = Platform, At = now, Why = "raised" }],
        };
        Describe(created, raised);
        unitOfWork.Insert(SyncExceptionRecord.CollectionName, SyncExceptionRecord.KeyFor(created.ExceptionId), created);
        unitOfWork.InsertOrReplace(SyncExceptionOpenKey.CollectionName, keyId, key, new SyncExceptionOpenKey { ExceptionId = created.ExceptionId });
        unitOfWork.Schedule(SlaJobId(created.ExceptionId), created.SlaDue, new ExceptionSlaDue { TenantId = created.TenantId, ExceptionId = created.ExceptionId });
        unitOfWork.Publish(new SyncExceptionOpened
        {
            TenantId = created.TenantId, ExceptionId = created.ExceptionId, Kind = created.Kind.ToString(), RootCause = created.RootCause.ToString(),
            Entity = created.Entity, EntityId = created.EntityId, Operation = created.Operation, FlowId = created.FlowId, DealRef = created.DealRef,
            Owner = created.Owner, OpenedAt = created.OpenedAt, SlaDue = created.SlaDue,
        });
        return created;
    }

    private static void Describe(SyncExceptionRecord record, OpenSyncException raised)
    {
        record.Message = raised.Message;
        record.SuggestedFix = raised.SuggestedFix;
        record.Detail = raised.Detail;
        record.FlowId = raised.FlowId ?? record.FlowId;
        record.DealRef = raised.DealRef ?? record.DealRef;
        record.AccountingId = raised.AccountingId ?? record.AccountingId;
        record.RequestId = raised.RequestId ?? record.RequestId;
        if (raised.CommandJson is not null)
        {
            record.CommandType = raised.CommandType;
            record.CommandJson = raised.CommandJson;
        }
    }

    /// <summary>
    /// Resolves the open and assigned records of the entity and operation last seen no later than <paramref name="at"/>
    /// (a success does not settle a failure that came after it), saying why. Returns how many it resolved.
    /// </summary>
    /// <param name="kinds">Only these kinds; all when null.</param>
    public async Task<int> ResolveAutomaticallyAsync(string tenantId, string entity, string entityId, string operation, DateTimeOffset at, string why,
        Func<SyncExceptionKind, bool>? kinds, CancellationToken cancellationToken)
    {
        var matching = await Records.FindAsync(r => r.TenantId == tenantId && r.EntityId == entityId && r.Entity == entity && r.Operation == operation,
            cancellationToken: cancellationToken);
        var resolved = 0;
        foreach (var document in matching.Where(d => ExceptionRules.IsActive(d.Value.Status) && d.Value.LastSeen <= at && (kinds?.Invoke(d.Value.Kind) ?? true)))
        {
            var record = document.Value;
            record.ResolvedAutomatically = true;
            Close(document, SyncExceptionStatus.Resolved, Platform, why);
            resolved++;
        }
        return resolved;
    }

    public async Task<StoredDocument<SyncExceptionRecord>?> FindAsync(string tenantId, Guid exceptionId, CancellationToken cancellationToken) =>
        await Records.GetAsync(SyncExceptionRecord.KeyFor(exceptionId), cancellationToken) is { } found && found.Value.TenantId == tenantId ? found : null;

    /// <param name="note">A comment to leave with the assignment, if any.</param>
    public void Assign(StoredDocument<SyncExceptionRecord> document, string owner, string by, string? note = null)
    {
        var record = document.Value;
        var previous = record.Owner;
        var now = time.GetUtcNow();
        record.Owner = owner;
        record.Move(SyncExceptionStatus.Assigned, by, now, previous is null ? $"assigned to {owner}" : $"reassigned from {previous} to {owner}");
        if (note is not null)
            record.Comments.Add(new ExceptionComment { By = by, At = now, Text = note });
        unitOfWork.Replace(SyncExceptionRecord.CollectionName, document, record);
    }

    public void Comment(StoredDocument<SyncExceptionRecord> document, string text, string by)
    {
        var record = document.Value;
        record.Comments.Add(new ExceptionComment { By = by, At = time.GetUtcNow(), Text = text });
        unitOfWork.Replace(SyncExceptionRecord.CollectionName, document, record);
    }

    /// <summary>Records a retry the caller has just queued or sent; the record stays open until a success resolves it.</summary>
    public void Retried(StoredDocument<SyncExceptionRecord> document, string by, string what)
    {
        var record = document.Value;
        var now = time.GetUtcNow();
        record.Retries++;
        record.LastRetriedAt = now;
        record.History.Add(new ExceptionStatusChange { From = record.Status, To = record.Status, By = by, At = now, Why = "retried: " + what });
        unitOfWork.Replace(SyncExceptionRecord.CollectionName, document, record);
    }

    /// <summary>Resolves or ignores the record and frees its open key, so the next failure of the same kind opens a new record.</summary>
    public void Close(StoredDocument<SyncExceptionRecord> document, SyncExceptionStatus to, string by, string why)
    {
        var record = document.Value;
        record.Move(to, by, time.GetUtcNow(), why);
        unitOfWork.Replace(SyncExceptionRecord.CollectionName, document, record);
        unitOfWork.Delete(SyncExceptionOpenKey.CollectionName,
            SyncExceptionOpenKey.KeyFor(ExceptionRules.OpenKey(record.TenantId, record.Kind, record.Entity, record.EntityId, record.Operation)));
        unitOfWork.CancelScheduled(SlaJobId(record.ExceptionId));
        unitOfWork.Publish(new SyncExceptionClosed
        {
            TenantId = record.TenantId, ExceptionId = record.ExceptionId, Kind = record.Kind.ToString(), RootCause = record.RootCause.ToString(),
            Entity = record.Entity, EntityId = record.EntityId, Operation = record.Operation, FlowId = record.FlowId, DealRef = record.DealRef,
            Owner = record.Owner, OpenedAt = record.OpenedAt, SlaDue = record.SlaDue, Status = record.Status.ToString(), ClosedAt = record.ClosedAt ?? time.GetUtcNow(),
            ClosedBy = record.ClosedBy ?? by, ResolvedAutomatically = record.ResolvedAutomatically, Reason = why,
        });
    }
}
