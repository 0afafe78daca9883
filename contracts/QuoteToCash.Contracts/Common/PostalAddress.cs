namespace QuoteToCash.Contracts;

/// <summary>A postal address as a finance system needs it.</summary>
public sealed record PostalAddress
{
    public string? Line1 { get; init; }
    public string? Line2 { get; init; }
    public string? City { get; init; }
    public string? Region { get; init; }
    public string? PostalCode { get; init; }
    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string? Country { get; init; }
}
