namespace QuoteToCash.BillingRules.Domain;

/// <summary>Who gives an invoice its number.</summary>
public enum NumberingMode
{
    /// <summary>QuickBooks numbers the invoice (its custom transaction numbers setting off); we send no DocNumber.</summary>
    QuickBooks,
    /// <summary>The tenant's own sequence: prefix and zero-padded number, e.g. "INV-00042".</summary>
    TenantSequence,
}

/// <summary>A tenant's invoice numbering. <see cref="NextNumber"/> is the number the next invoice takes; the saga advances it.</summary>
public sealed class NumberingPolicy
{
    public NumberingMode Mode { get; set; } = NumberingMode.QuickBooks;
    public string Prefix { get; set; } = "INV-";
    /// <summary>The number is padded with zeros to at least this many digits.</summary>
    public int Digits { get; set; } = 5;
    public long NextNumber { get; set; } = 1;
}
