namespace QuoteToCash.Contracts;

/// <summary>An hourly rate for a role, or for one person (which wins over the role).</summary>
public sealed record RateCardEntry
{
    public required string Role { get; init; }
    public string? Person { get; init; }
    public decimal Rate { get; init; }
    /// <summary>The CRM product (SKU or product ID) whose item mapping bills this role's time.</summary>
    public string? Product { get; init; }
}
