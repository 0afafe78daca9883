namespace QuoteToCash.Contracts;

/// <summary>One part of a fixed fee: a percentage of the fee or an amount, billed on signing, on completion or on a date.</summary>
public sealed record FeeInstalment
{
    public required string Id { get; init; }
    public string? Label { get; init; }
    public decimal? Percent { get; init; }
    public decimal? Amount { get; init; }
    public InstalmentTrigger Trigger { get; init; } = InstalmentTrigger.OnSigning;
    /// <summary>For <see cref="InstalmentTrigger.OnDate"/>.</summary>
    public DateOnly? Date { get; init; }
}

public enum InstalmentTrigger
{
    OnSigning,
    OnCompletion,
    OnDate,
}
