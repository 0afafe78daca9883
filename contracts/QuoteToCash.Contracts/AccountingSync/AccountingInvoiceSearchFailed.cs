namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>The answer to <see cref="FindAccountingInvoices"/> when no search could be made.</summary>
public sealed record AccountingInvoiceSearchFailed
{
    public required string TenantId { get; init; }
    /// <summary>NotConnected, Authentication or Validation.</summary>
    public required string Kind { get; init; }
    public required string Message { get; init; }
}
