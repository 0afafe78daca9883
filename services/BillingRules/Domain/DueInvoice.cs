namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// One invoice's worth of charges that a deal's contract says is billable now, before drafting turns it into
/// accounting lines. <see cref="Key"/> is stable within the flow ("fee:deposit", "milestone:m2", "tm:2026-03-01",
/// "subscription:2026-04-01", "retainer:deposit", "proration:2026-03-15:…"), so asking the contract again never
/// bills the same thing twice and the invoice ID derived from it survives a crash and a redraft.
/// </summary>
public sealed class DueInvoice
{
    public string Key { get; set; } = string.Empty;
    public ChargeKind Kind { get; set; }
    /// <summary>The invoice date the contract asks for.</summary>
    public DateOnly BillOn { get; set; }
    public string? PurchaseOrder { get; set; }
    public List<ChargeLine> Lines { get; set; } = [];
    /// <summary>Notes for finance and the customer, e.g. a late time entry moved into this period.</summary>
    public List<string> Notes { get; set; } = [];

    /// <summary>The sum of the rounded line amounts.</summary>
    public decimal Total => Lines.Sum(l => l.Amount);
}

/// <summary>One line of a <see cref="DueInvoice"/>; <see cref="Amount"/> is already rounded to the currency's minor unit.</summary>
public sealed class ChargeLine
{
    public string Description { get; set; } = string.Empty;
    /// <summary>The product key ("id:…", "sku:…") whose item mapping books this line; null takes the tenant's default item.</summary>
    public string? Product { get; set; }
    public decimal Quantity { get; set; } = 1;
    public decimal UnitPrice { get; set; }
    public decimal DiscountPercent { get; set; }
    public decimal Amount { get; set; }
    public DateOnly? ServiceFrom { get; set; }
    public DateOnly? ServiceTo { get; set; }
    /// <summary>True for lines a person added by hand rather than the contract (approval policy looks at these).</summary>
    public bool Manual { get; set; }
    public string? PurchaseOrder { get; set; }
}

public enum ChargeKind
{
    FixedFee,
    Milestone,
    TimeAndMaterials,
    RetainerDeposit,
    RetainerReplenishment,
    RetainerOverage,
    Subscription,
    Proration,
    Manual,
}
