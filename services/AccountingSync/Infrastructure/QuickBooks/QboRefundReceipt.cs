namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

/// <summary>Money paid back to a customer: sales-form lines, paid from DepositToAccountRef (a bank or other current asset account).</summary>
public sealed record QboRefundReceipt : QboEntity
{
    public string? DocNumber { get; init; }
    public DateOnly? TxnDate { get; init; }
    public QboRef? CustomerRef { get; init; }
    public QboRef? CurrencyRef { get; init; }
    public QboRef? DepositToAccountRef { get; init; }
    public QboRef? PaymentMethodRef { get; init; }
    public string? PaymentRefNum { get; init; }
    public List<QboLine>? Line { get; init; }
    public string? PrivateNote { get; init; }
    public QboMemoRef? CustomerMemo { get; init; }
    public decimal? TotalAmt { get; init; }
    public decimal? Balance { get; init; }
}
