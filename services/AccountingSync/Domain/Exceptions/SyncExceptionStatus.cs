namespace QuoteToCash.AccountingSync.Domain.Exceptions;

/// <summary>Where an exception stands in finance's queue.</summary>
public enum SyncExceptionStatus
{
    /// <summary>Raised and nobody has taken it yet.</summary>
    Open,

    /// <summary>Someone owns it and is working on it.</summary>
    Assigned,

    /// <summary>Fixed: by a person, or automatically by a later success for the same entity and operation.</summary>
    Resolved,

    /// <summary>Looked at and deliberately left as it is (with a reason).</summary>
    Ignored,
}
