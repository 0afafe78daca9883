namespace QuoteToCash.AccountingSync.Infrastructure.QuickBooks;

/// <summary>The company's preferences, read without an Id; only the parts the platform uses are modelled.</summary>
public sealed record QboPreferences
{
    public QboCurrencyPrefs? CurrencyPrefs { get; init; }
    public QboAccountingInfoPrefs? AccountingInfoPrefs { get; init; }

    public bool MultiCurrencyEnabled => CurrencyPrefs?.MultiCurrencyEnabled == true;

    public string? HomeCurrency => CurrencyPrefs?.HomeCurrency?.Value is { Length: > 0 } code ? code.ToUpperInvariant() : null;

    /// <summary>The closing date: nothing dated on or before it can be posted. Absent while the books are open.</summary>
    public DateOnly? ClosingDate => AccountingInfoPrefs?.BookCloseDate;
}

public sealed record QboCurrencyPrefs
{
    public bool? MultiCurrencyEnabled { get; init; }
    public QboRef? HomeCurrency { get; init; }
}

public sealed record QboAccountingInfoPrefs
{
    public DateOnly? BookCloseDate { get; init; }
    public bool? ClassTrackingPerTxn { get; init; }
    public bool? ClassTrackingPerTxnLine { get; init; }
    public bool? TrackDepartments { get; init; }
}
