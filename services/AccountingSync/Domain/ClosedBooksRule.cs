using QuoteToCash.Contracts.AccountingSync;

namespace QuoteToCash.AccountingSync.Domain;

/// <summary>What to do with an invoice, given the company's closing date and the command's policy.</summary>
public enum ClosedBooksAction
{
    /// <summary>The date is in an open period (or there is no closing date): post as asked.</summary>
    Post,

    /// <summary>Post it dated the first open day; the due date moves by the same number of days.</summary>
    Move,

    /// <summary>Do not post; finance decides.</summary>
    Hold,
}

/// <summary>The outcome for one invoice: the dates to post with, and the note for finance when they changed.</summary>
public sealed record ClosedBooksDecision(ClosedBooksAction Action, DateOnly? InvoiceDate, DateOnly? DueDate, string? Note);

/// <summary>
/// QuickBooks refuses any transaction dated on or before the company's closing date (6210). Before an invoice is
/// posted this decides, from the command's policy, whether it moves to the first open day (the day after the closing
/// date, keeping its payment period) or is held for finance. Pure.
/// </summary>
public static class ClosedBooksRule
{
    /// <param name="invoiceDate">The date asked for; null when QuickBooks is to date it (today).</param>
    /// <param name="today">The company's today, used when the invoice has no date of its own.</param>
    public static ClosedBooksDecision Decide(DateOnly? invoiceDate, DateOnly? dueDate, DateOnly? closingDate, ClosedBooksPolicy policy, DateOnly today)
    {
        var effective = invoiceDate ?? today;
        if (closingDate is not { } closing || effective > closing)
            return new ClosedBooksDecision(ClosedBooksAction.Post, invoiceDate, dueDate, null);
        if (policy == ClosedBooksPolicy.HoldForFinance)
            return new ClosedBooksDecision(ClosedBooksAction.Hold, invoiceDate, dueDate,
                $"The invoice date {effective:yyyy-MM-dd} is in a period closed in QuickBooks (books closed through {closing:yyyy-MM-dd}); the invoice is held for finance.");
        var firstOpen = closing.AddDays(1);
        var shift = firstOpen.DayNumber - effective.DayNumber;
        var movedDue = dueDate is { } due ? due.AddDays(shift) : (DateOnly?)null;
        return new ClosedBooksDecision(ClosedBooksAction.Move, firstOpen, movedDue,
            $"The books are closed through {closing:yyyy-MM-dd} in QuickBooks, so the invoice dated {effective:yyyy-MM-dd} was posted on {firstOpen:yyyy-MM-dd}, the first open day" +
            (movedDue is { } moved ? $"; its due date moved by the same {shift} day(s) to {moved:yyyy-MM-dd}." : "."));
    }
}
