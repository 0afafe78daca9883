namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>An invoice as the tenant's QuickBooks company holds it.</summary>
public sealed record AccountingInvoice
{
    /// <summary>QuickBooks Invoice.Id.</summary>
    public required string Id { get; init; }
    public string? DocNumber { get; init; }
    /// <summary>The QuickBooks customer ID.</summary>
    public required string CustomerRef { get; init; }
    public DateOnly? TxnDate { get; init; }
    public decimal Total { get; init; }
    public decimal Balance { get; init; }
    public string? PrivateNote { get; init; }
    public IReadOnlyList<AccountingInvoiceLine> Lines { get; init; } = [];
    /// <summary>The platform's invoice when accounting-sync posted this one; null for an invoice made in QuickBooks by hand.</summary>
    public Guid? PostedInvoiceId { get; init; }
}
