namespace QuoteToCash.AccountingSync.Domain.Exceptions;

/// <summary>Where the fix for an exception lies: what the weekly report ranks as "top root causes".</summary>
public enum RootCause
{
    /// <summary>Customer or item data in master data (a missing mapping, a name QuickBooks already has).</summary>
    MasterData,

    /// <summary>A setting of the tenant or of its QuickBooks company (terms, closed books, currencies, connection).</summary>
    Configuration,

    /// <summary>A QuickBooks rule the data breaks (validation, a stale object).</summary>
    QuickBooksRules,

    /// <summary>QuickBooks did not answer, or throttled longer than the platform waits.</summary>
    QuickBooksAvailability,

    /// <summary>The QuickBooks authorisation expired or was revoked.</summary>
    Authorization,

    /// <summary>Someone changed in QuickBooks what the platform posted.</summary>
    ManualChangeInQuickBooks,

    /// <summary>A message the platform itself could not process.</summary>
    Platform,
}
