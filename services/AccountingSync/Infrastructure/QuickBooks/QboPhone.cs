namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public sealed record QboPhone
{
    public string? FreeFormNumber { get; init; }
}
