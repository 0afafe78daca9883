using System.Globalization;

namespace QuoteToCash.BillingRules.Domain;

/// <summary>What to do with an invoice dated on or before the accounting system's closing date.</summary>
public enum ClosedBooksPolicy
{
    /// <summary>Date it the day after the closing date, the first day the books are open.</summary>
    MoveToFirstOpenDate,
    /// <summary>Keep its date and hold it until finance reopens the period or picks a date.</summary>
    HoldForFinance,
}

/// <summary>Whether the invoice waits for finance, the date it carries, and a note saying why it changed.</summary>
public sealed record ClosedBooksDecision(bool Hold, DateOnly InvoiceDate, string? Note);

/// <summary>
/// QuickBooks' closing date (Preferences.AccountingInfoPrefs.BookCloseDate): the books are closed up to and including it,
/// so a transaction dated then would change a period finance has already reported.
/// </summary>
public static class ClosedBooks
{
    public static ClosedBooksDecision Decide(DateOnly invoiceDate, DateOnly? bookCloseDate, ClosedBooksPolicy policy)
    {
        if (bookCloseDate is not { } closed || invoiceDate > closed)
            return new ClosedBooksDecision(false, invoiceDate, null);

        return policy switch
        {
            ClosedBooksPolicy.MoveToFirstOpenDate => new ClosedBooksDecision(false, closed.AddDays(1),
                $"Invoice date moved from {Day(invoiceDate)} to {Day(closed.AddDays(1))}: the books are closed up to {Day(closed)}."),
            ClosedBooksPolicy.HoldForFinance => new ClosedBooksDecision(true, invoiceDate,
                $"Held: the invoice date {Day(invoiceDate)} falls in closed books (closed up to {Day(closed)}). Reopen the period or choose a later date."),
            _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown closed-books policy."),
        };
    }

    /// <summary>
    /// Applies a decision to a draft: a moved invoice date moves the due date with it (recomputed from the draft's
    /// terms when they can be read, otherwise kept the same number of days after the invoice date), and the note is
    /// added to the draft's notes.
    /// </summary>
    public static void Apply(InvoiceDraft draft, ClosedBooksDecision decision)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.InvoiceDate != draft.InvoiceDate)
        {
            var days = draft.DueDate.DayNumber - draft.InvoiceDate.DayNumber;
            draft.DueDate = PaymentTermsRules.IsRecognised(draft.PaymentTerms)
                ? PaymentTermsRules.DueDate(decision.InvoiceDate, draft.PaymentTerms)
                : decision.InvoiceDate.AddDays(days);
            draft.InvoiceDate = decision.InvoiceDate;
        }
        if (decision.Note is { } note && !draft.Notes.Contains(note))
            draft.Notes.Add(note);
    }

    private static string Day(DateOnly date) => date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
}
