namespace QuoteToCash.BillingRules.Domain;

/// <summary>A time entry as the ledger keeps it: what was logged, which billing period bills it and what became of it.</summary>
public sealed class LoggedTime
{
    public string EntryId { get; set; } = string.Empty;
    public string Person { get; set; } = string.Empty;
    public string? Role { get; set; }
    public DateOnly Date { get; set; }
    public decimal Hours { get; set; }
    public bool Billable { get; set; }
    /// <summary>The entry's own rate, when the source knew it.</summary>
    public decimal? Rate { get; set; }
    public string? Description { get; set; }
    public DateOnly LoggedOn { get; set; }
    /// <summary>The first day of the billing period that bills it: its own, or the next open one when it came late.</summary>
    public DateOnly PeriodStart { get; set; }
    /// <summary>Logged after its own period had closed.</summary>
    public bool Late { get; set; }
    public TimeEntryStatus Status { get; set; }
    /// <summary>The rate it was billed (or drawn down) at.</summary>
    public decimal? BilledRate { get; set; }
    /// <summary>The key of the invoice (or, for a retainer drawdown, the period) that accounted for it.</summary>
    public string? BilledIn { get; set; }
    /// <summary>When the entry was sent to QuickBooks as a TimeActivity (<c>PostTimeActivity</c>); set once, so it is sent once.</summary>
    public DateTime? TimeActivityRequestedAt { get; set; }
    /// <summary>The QuickBooks TimeActivity.Id once accounting-sync confirmed it.</summary>
    public string? AccountingTimeActivityId { get; set; }
    public DateTime? TimeActivityPostedAt { get; set; }
}

/// <summary>What became of a time entry.</summary>
public enum TimeEntryStatus
{
    /// <summary>Waiting for its period to close.</summary>
    Open,
    /// <summary>On an invoice (time and materials, or retainer overage).</summary>
    Billed,
    /// <summary>Paid from the retainer balance.</summary>
    DrawnDown,
    /// <summary>Recorded, never billed.</summary>
    NonBillable,
    /// <summary>Neither the entry nor the rate card gave it a rate; finance was told.</summary>
    NoRate,
    /// <summary>Not billed because the not-to-exceed cap was reached.</summary>
    OverCap,
    /// <summary>Dated after the project was completed.</summary>
    AfterCompletion,
}
