using System.Globalization;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.State;

namespace QuoteToCash.Sandbox.QuickBooks.Domain.Rules;

/// <summary>
/// The company's closing date (Preferences.AccountingInfoPrefs.BookCloseDate): a transaction dated on or before it
/// cannot be created, changed, voided or deleted through the API (6210). Balances QBO maintains itself, such as an old
/// invoice's balance when a payment dated in the open period is applied to it, still move.
/// </summary>
public static class ClosedBooks
{
    public static DateOnly? ClosingDate(Realm realm)
    {
        var text = realm.Find(EntityKind.Preferences, "1")?.Object("AccountingInfoPrefs")?.Text("BookCloseDate");
        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
    }

    /// <summary>Refuses the write when the transaction's TxnDate is in the closed period.</summary>
    public static void RefuseIfClosed(Operation op, EntityKind kind, JsonObject? transaction)
    {
        if (!kind.IsTransaction || transaction is null || ClosingDate(op.Realm) is not { } closing)
            return;
        if (DateOnly.TryParseExact(transaction.Text("TxnDate"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date <= closing)
            throw Faults.AccountPeriodClosed();
    }

    /// <summary>Closes the books through <paramref name="closingDate"/> (null reopens them), as the company's admin does in its settings.</summary>
    public static void SetClosingDate(Realm realm, DateOnly? closingDate, QboClock clock)
    {
        var preferences = realm.Find(EntityKind.Preferences, "1") ?? throw new InvalidOperationException("The realm has no Preferences.");
        var accounting = preferences.Object("AccountingInfoPrefs") ?? new JsonObject();
        if (closingDate is { } date)
            accounting.Set("BookCloseDate", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        else
            accounting.RemoveAny("BookCloseDate");
        preferences.Set("AccountingInfoPrefs", accounting);
        var token = long.TryParse(preferences.Text("SyncToken"), out var current) ? current + 1 : 1;
        preferences.Set("SyncToken", token.ToString(CultureInfo.InvariantCulture));
        var meta = preferences.Object("MetaData") ?? new JsonObject();
        meta.Set("LastUpdatedTime", clock.MetaTime(clock.UtcNow));
        preferences.Set("MetaData", meta);
    }
}
