namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

/// <summary>The company's preferences, read without an Id; only the parts the platform uses are modelled.</summary>
public sealed record QboPreferences
{
    public QboCurrencyPrefs? CurrencyPrefs { get; init; }

    public bool MultiCurrencyEnabled => CurrencyPrefs?.MultiCurrencyEnabled == true;

    public string? HomeCurrency => CurrencyPrefs?.HomeCurrency?.Value is { Length: > 0 } code ? code.ToUpperInvariant() : null;
}

public sealed record QboCurrencyPrefs
{
    public bool? MultiCurrencyEnabled { get; init; }
    public QboRef? HomeCurrency { get; init; }
}
