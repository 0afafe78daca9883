namespace QuoteToCash.Contracts;

public sealed record ContactPerson
{
    public string? ExternalId { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    /// <summary>True for the person who receives invoices.</summary>
    public bool IsBillingContact { get; init; }
}
