namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>
/// What accounting-sync does with an invoice dated on or before the QuickBooks company's closing date, where
/// QuickBooks refuses new transactions.
/// </summary>
public enum ClosedBooksPolicy
{
    /// <summary>Do not post; answer InvoicePostingFailed with Kind "ClosedPeriod" so the invoice is held for finance.</summary>
    HoldForFinance,

    /// <summary>Post it dated the first open day (the day after the closing date) and say so in InvoicePosted.</summary>
    MoveToFirstOpenDate,
}
