namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>The answer to <see cref="FindAccountingInvoices"/>: every matching invoice, ordered by date and number.</summary>
public sealed record AccountingInvoicesFound
{
    public required string TenantId { get; init; }
    public IReadOnlyList<AccountingInvoice> Invoices { get; init; } = [];
    public required DateTimeOffset AsOf { get; init; }
}
