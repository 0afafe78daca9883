namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

public sealed record QboPaymentMethod : QboEntity
{
    public string? Name { get; init; }
    /// <summary>CREDIT_CARD or NON_CREDIT_CARD.</summary>
    public string? Type { get; init; }
    public bool? Active { get; init; }
}
