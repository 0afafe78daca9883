namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public sealed record QboInvoice : QboEntity
{
    public string? DocNumber { get; init; }
    public DateOnly? TxnDate { get; init; }
    public DateOnly? DueDate { get; init; }
    public QboRef? CustomerRef { get; init; }
    public QboRef? CurrencyRef { get; init; }
    public QboRef? SalesTermRef { get; init; }
    public QboRef? ClassRef { get; init; }
    public QboRef? DepartmentRef { get; init; }
    public List<QboLine>? Line { get; init; }
    public string? PrivateNote { get; init; }
    public QboMemoRef? CustomerMemo { get; init; }
    public QboEmail? BillEmail { get; init; }
    public string? EmailStatus { get; init; }
    public decimal? TotalAmt { get; init; }
    public decimal? Balance { get; init; }
    public List<QboLinkedTxn>? LinkedTxn { get; init; }
}
