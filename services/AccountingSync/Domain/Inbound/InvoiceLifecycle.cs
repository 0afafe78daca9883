namespace QuoteToCash.AccountingSync.Domain.Inbound;

/// <summary>Where an invoice we posted stands in QuickBooks, as far as the platform must act on it.</summary>
public enum PostedInvoiceState
{
    Open,
    Voided,
    Deleted,
}

/// <summary>Rules for reading an invoice's state out of what QuickBooks returns.</summary>
public static class InvoiceLifecycle
{
    /// <summary>
    /// QuickBooks keeps a voided invoice with every amount set to zero and "Voided" at the start of its private note;
    /// both must hold, so an invoice whose note merely mentions voiding is not taken for voided.
    /// </summary>
    public static bool IsVoided(string? privateNote, decimal? total) =>
        total is 0m && privateNote is not null && privateNote.StartsWith("Voided", StringComparison.Ordinal);

    /// <summary>
    /// Whether QuickBooks' object is newer than the version already handled. SyncTokens count up by one per change; a
    /// change delivered late (a CDC payload older than a webhook read) is not applied over a newer one.
    /// </summary>
    public static bool IsNewer(string? syncToken, long? handled) =>
        handled is null || !long.TryParse(syncToken, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var token) || token > handled;

    /// <summary>The SyncToken as a number, or null when QuickBooks sent none or something else.</summary>
    public static long? Token(string? syncToken) =>
        long.TryParse(syncToken, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var token) ? token : null;
}
