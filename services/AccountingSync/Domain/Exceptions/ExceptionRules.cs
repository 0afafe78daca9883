namespace QuoteToCash.AccountingSync.Domain.Exceptions;

/// <summary>
/// The fixed rules of the exception queue, by kind: how long finance has (the SLA), where the root cause lies, and whether
/// "retry" can do anything. Pure.
/// </summary>
/// <remarks>
/// SLA: 24 hours for what stops every invoice of the tenant or leaves the books disagreeing with the CRM (authorisation,
/// QuickBooks unavailable or throttling beyond patience, a message the platform could not process, a manual edit in
/// QuickBooks, reconciliation drift); 48 hours for a fix to one record's data (a missing mapping, a duplicate name,
/// a validation refusal, a stale object), which usually needs someone in master data or QuickBooks.
/// </remarks>
public static class ExceptionRules
{
    public static readonly TimeSpan UrgentSla = TimeSpan.FromHours(24);
    public static readonly TimeSpan StandardSla = TimeSpan.FromHours(48);

    public static TimeSpan SlaFor(SyncExceptionKind kind) => kind switch
    {
        SyncExceptionKind.AuthorizationExpired or SyncExceptionKind.QboUnavailable or SyncExceptionKind.RateLimited or SyncExceptionKind.PoisonMessage
            or SyncExceptionKind.ManualEditConflict or SyncExceptionKind.ReconciliationDrift => UrgentSla,
        _ => StandardSla,
    };

    public static DateTimeOffset SlaDue(SyncExceptionKind kind, DateTimeOffset openedAt) => openedAt + SlaFor(kind);

    public static RootCause RootCauseOf(SyncExceptionKind kind) => kind switch
    {
        SyncExceptionKind.MappingMissing or SyncExceptionKind.DuplicateName => RootCause.MasterData,
        SyncExceptionKind.Validation or SyncExceptionKind.StaleObject => RootCause.QuickBooksRules,
        SyncExceptionKind.AuthorizationExpired => RootCause.Authorization,
        SyncExceptionKind.RateLimited or SyncExceptionKind.QboUnavailable => RootCause.QuickBooksAvailability,
        SyncExceptionKind.ManualEditConflict or SyncExceptionKind.ReconciliationDrift => RootCause.ManualChangeInQuickBooks,
        _ => RootCause.Platform,
    };

    /// <summary>The entity an expired or revoked QuickBooks authorisation is filed under (with the tenant ID).</summary>
    public const string ConnectionEntity = "Connection";

    /// <summary>
    /// Why "retry" cannot help with an exception of this kind on this entity, or null when it can. (An invoice refused
    /// because QuickBooks was not connected can be retried once it is; the connection's own exception cannot.)
    /// </summary>
    public static string? WhyNotRetryable(SyncExceptionKind kind, string entity) => kind switch
    {
        SyncExceptionKind.ManualEditConflict =>
            "Someone changed this record in QuickBooks after the platform posted it. The platform never overwrites such a change: decide which version is right, correct it in QuickBooks or in the CRM, then resolve the exception.",
        SyncExceptionKind.ReconciliationDrift =>
            "Reconciliation found QuickBooks and the platform disagreeing. Sending the record again would not settle which one is right: check the record in QuickBooks, correct it, then resolve the exception.",
        SyncExceptionKind.AuthorizationExpired when entity == ConnectionEntity =>
            "The QuickBooks connection needs a person to sign in again. Reconnect QuickBooks (PUT /api/accounting/{tenant}/connection); the queue resumes by itself and this exception resolves.",
        _ => null,
    };

    /// <summary>Whether a person may move an exception from one status to another (Resolved and Ignored are final).</summary>
    public static bool CanMove(SyncExceptionStatus from, SyncExceptionStatus to) => from switch
    {
        SyncExceptionStatus.Open => to is SyncExceptionStatus.Assigned or SyncExceptionStatus.Resolved or SyncExceptionStatus.Ignored,
        SyncExceptionStatus.Assigned => to is SyncExceptionStatus.Assigned or SyncExceptionStatus.Open or SyncExceptionStatus.Resolved or SyncExceptionStatus.Ignored,
        _ => false,
    };

    public static bool IsActive(SyncExceptionStatus status) => status is SyncExceptionStatus.Open or SyncExceptionStatus.Assigned;

    /// <summary>
    /// The one-open-record key: a repeat of the same tenant, kind, entity and operation adds an occurrence to the open
    /// record instead of opening another. Case-sensitive: IDs are kept exactly.
    /// </summary>
    public static string OpenKey(string tenantId, SyncExceptionKind kind, string entity, string entityId, string operation) =>
        string.Join('\u001f', tenantId, kind.ToString(), entity, entityId, operation);
}
