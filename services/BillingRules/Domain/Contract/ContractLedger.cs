using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// What a deal's contract says and what has been billed under it, kept inside the quote-to-cash saga instance.
/// <see cref="BillingContract"/> reads and changes it; everything here is a plain settable property or list so that it
/// stores as it is in LiteDB and MongoDB. The deal's <see cref="BillingTerms"/> are copied in at
/// <see cref="BillingContract.Start"/> (and again at <see cref="BillingContract.Change"/>), so the ledger never holds a
/// contract record.
/// </summary>
public sealed class ContractLedger
{
    public BillingModel Model { get; set; }
    public string DealName { get; set; } = string.Empty;
    /// <summary>ISO 4217; every amount in the ledger is in it.</summary>
    public string Currency { get; set; } = string.Empty;
    /// <summary>The deal's amount: what fixed fees and milestones add up to; informative for the other models.</summary>
    public decimal ContractValue { get; set; }
    /// <summary>The sum of all <see cref="DueInvoice.Total"/>s issued so far.</summary>
    public decimal Billed { get; set; }
    public DateOnly SignedOn { get; set; }
    /// <summary>The day the customer was ready to bill (<see cref="BillingContract.Activate"/>); nothing is billed before.</summary>
    public DateOnly? ActivatedOn { get; set; }
    /// <summary>The day the project was reported complete.</summary>
    public DateOnly? CompletedOn { get; set; }
    public string? PurchaseOrder { get; set; }

    /// <summary>The deal's product lines, which fixed-fee instalments are scaled from.</summary>
    public List<ContractLine> Lines { get; set; } = [];
    /// <summary>Fixed fee: the parts of the fee, each with the amount it bills.</summary>
    public List<ContractInstalment> Instalments { get; set; } = [];
    /// <summary>Milestones: the plan, and unplanned milestones once reported.</summary>
    public List<ContractMilestone> Milestones { get; set; } = [];

    /// <summary>Time and materials and retainer: the deal's rates.</summary>
    public List<ContractRate> RateCard { get; set; } = [];
    public BillingPeriod Period { get; set; } = BillingPeriod.Monthly;
    /// <summary>Time and materials: the most that may be billed.</summary>
    public decimal? NotToExceed { get; set; }
    /// <summary>Time and materials: billing has stopped at <see cref="NotToExceed"/>.</summary>
    public bool CapReached { get; set; }
    /// <summary>The last day of the last billing period closed; time dated on or before it is late.</summary>
    public DateOnly? ClosedThrough { get; set; }
    /// <summary>Every time entry received, billable or not, with what became of it.</summary>
    public List<LoggedTime> TimeEntries { get; set; } = [];

    /// <summary>Retainer: the balance and its history.</summary>
    public RetainerAccount? Retainer { get; set; }
    /// <summary>Subscription: the seats, the price and the periods billed.</summary>
    public ContractSubscription? Subscription { get; set; }

    /// <summary>The <see cref="DueInvoice.Key"/>s already issued; a key is issued once.</summary>
    public List<string> IssuedKeys { get; set; } = [];
}

/// <summary>One product line of the deal, as it was won.</summary>
public sealed class ContractLine
{
    public string Description { get; set; } = string.Empty;
    /// <summary>"id:…" or "sku:…"; null when the line names no product.</summary>
    public string? Product { get; set; }
    public decimal Quantity { get; set; }
    public decimal UnitPrice { get; set; }
    public decimal DiscountPercent { get; set; }
}

/// <summary>One part of a fixed fee and the amount it bills (percentages resolved against the contract value).</summary>
public sealed class ContractInstalment
{
    public string Id { get; set; } = string.Empty;
    public string? Label { get; set; }
    public decimal? Percent { get; set; }
    public decimal? Amount { get; set; }
    public InstalmentTrigger Trigger { get; set; }
    public DateOnly? Date { get; set; }
    /// <summary>What this part bills, in the contract's currency.</summary>
    public decimal PlannedAmount { get; set; }
    /// <summary>For completion parts: the day completion (or the part's own milestone) was reported.</summary>
    public DateOnly? TriggeredOn { get; set; }
}

/// <summary>A milestone of the plan, or one reported without being planned, and what it billed.</summary>
public sealed class ContractMilestone
{
    public string Id { get; set; } = string.Empty;
    public string Name { get; set; } = string.Empty;
    public decimal? Percent { get; set; }
    public decimal? Amount { get; set; }
    /// <summary>False for a milestone the CRM reported that was not in the plan.</summary>
    public bool Planned { get; set; }
    public DateOnly? ReachedOn { get; set; }
    /// <summary>The amount its invoice billed, once billed.</summary>
    public decimal? BilledAmount { get; set; }
}

/// <summary>An hourly rate for a role, or for one person within it.</summary>
public sealed class ContractRate
{
    public string Role { get; set; } = string.Empty;
    public string? Person { get; set; }
    public decimal Rate { get; set; }
    /// <summary>"id:…" or "sku:…": the product whose item mapping books this time.</summary>
    public string? Product { get; set; }
}
