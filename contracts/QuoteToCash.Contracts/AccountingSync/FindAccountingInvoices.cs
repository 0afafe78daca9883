namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>
/// Request to accounting-sync (request/response over the bus): the invoices in the tenant's QuickBooks company for these
/// customers and dates, including those made by hand in QuickBooks, so a parallel run can compare them with the
/// platform's. Answered with <see cref="AccountingInvoicesFound"/>, or <see cref="AccountingInvoiceSearchFailed"/> when
/// the tenant is not connected or QuickBooks refuses. Not a flow message: it concerns the tenant's books.
/// </summary>
public sealed record FindAccountingInvoices
{
    public required string TenantId { get; init; }
    /// <summary>QuickBooks customer IDs; empty means every customer.</summary>
    public IReadOnlyList<string> CustomerRefs { get; init; } = [];
    /// <summary>First invoice date included (TxnDate), if any.</summary>
    public DateOnly? From { get; init; }
    /// <summary>Last invoice date included (TxnDate), if any.</summary>
    public DateOnly? To { get; init; }
}
