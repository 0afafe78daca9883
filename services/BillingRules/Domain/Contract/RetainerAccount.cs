namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// A retainer's money: deposits (the first one and every replenishment) go in, billable time is drawn down from it.
/// <see cref="Deposited"/> always equals <see cref="DrawnDown"/> plus <see cref="Balance"/>.
/// </summary>
public sealed class RetainerAccount
{
    public decimal Deposit { get; set; }
    /// <summary>A balance below this after a drawdown asks for a replenishment.</summary>
    public decimal Threshold { get; set; }
    /// <summary>The replenishment amount; <see cref="Deposit"/> when null.</summary>
    public decimal? Replenishment { get; set; }

    public decimal Balance { get; set; }
    public decimal Deposited { get; set; }
    public decimal DrawnDown { get; set; }
    /// <summary>Every movement, oldest first.</summary>
    public List<RetainerEntry> Entries { get; set; } = [];
}

/// <summary>One movement of a retainer's balance.</summary>
public sealed class RetainerEntry
{
    public DateOnly Date { get; set; }
    public RetainerEntryKind Kind { get; set; }
    /// <summary>Always positive; <see cref="Kind"/> says which way it moved the balance.</summary>
    public decimal Amount { get; set; }
    public decimal BalanceAfter { get; set; }
    /// <summary>The invoice key of a deposit or replenishment, or the billing period of a drawdown ("tm:2026-03-01").</summary>
    public string Reference { get; set; } = string.Empty;
}

public enum RetainerEntryKind
{
    Deposit,
    Replenishment,
    Drawdown,
}
