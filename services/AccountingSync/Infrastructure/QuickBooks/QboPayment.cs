namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public sealed record QboPayment : QboEntity
{
    public QboRef? CustomerRef { get; init; }
    public decimal? TotalAmt { get; init; }
    public decimal? UnappliedAmt { get; init; }
    public DateOnly? TxnDate { get; init; }
    public QboRef? CurrencyRef { get; init; }
    public List<QboLine>? Line { get; init; }
    public string? PaymentRefNum { get; init; }
    public string? PrivateNote { get; init; }
}
