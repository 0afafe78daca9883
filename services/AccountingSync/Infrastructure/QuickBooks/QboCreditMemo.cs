namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public sealed record QboCreditMemo : QboEntity
{
    public string? DocNumber { get; init; }
    public DateOnly? TxnDate { get; init; }
    public QboRef? CustomerRef { get; init; }
    public QboRef? CurrencyRef { get; init; }
    public List<QboLine>? Line { get; init; }
    public string? PrivateNote { get; init; }
    public QboMemoRef? CustomerMemo { get; init; }
    public decimal? TotalAmt { get; init; }
    public decimal? Balance { get; init; }
    public decimal? RemainingCredit { get; init; }
}
