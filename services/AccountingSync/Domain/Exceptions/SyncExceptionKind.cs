namespace QuoteToCash.AccountingSync.Domain.Exceptions;

/// <summary>What went wrong, as the exception queue sorts it (ACC-4).</summary>
public enum SyncExceptionKind
{
    MappingMissing,
    DuplicateName,
    Validation,
    StaleObject,
    AuthorizationExpired,
    RateLimited,
    QboUnavailable,
    ManualEditConflict,
    ReconciliationDrift,
    PoisonMessage,
}
