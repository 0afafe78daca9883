namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

/// <summary>A currency the company has turned on; exists only when multicurrency is enabled.</summary>
public sealed record QboCompanyCurrency : QboEntity
{
    public string? Code { get; init; }
    public string? Name { get; init; }
    public bool? Active { get; init; }
}
