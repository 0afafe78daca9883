namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>QuickBooks refused the tenant's refresh token: nothing posts until someone reconnects the company.</summary>
public sealed record QuickBooksReauthorizationRequired
{
    public required string TenantId { get; init; }
    public required string RealmId { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset DetectedAt { get; init; }
}
