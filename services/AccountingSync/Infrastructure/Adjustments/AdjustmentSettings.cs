namespace QuoteToCash.AccountingSync.Infrastructure.Adjustments;

/// <summary>
/// Where a tenant's adjustments go in QuickBooks, set once by finance (<c>PUT /api/accounting/{tenant}/adjustment-settings</c>)
/// rather than in every command, because billing should not need to know QuickBooks item and account IDs.
/// </summary>
public sealed class AdjustmentSettings
{
    public const string CollectionName = "qbo-adjustment-settings";

    public string TenantId { get; set; } = string.Empty;
    /// <summary>The QuickBooks Item a write-off's lines are booked to (typically a "Bad debt" item on a bad-debt expense account).</summary>
    public string? BadDebtItemRef { get; set; }
    /// <summary>The QuickBooks Item a refund receipt's line is booked to.</summary>
    public string? RefundItemRef { get; set; }
    /// <summary>The bank (or other current asset) Account refunds are paid from when the command names none.</summary>
    public string? RefundAccountRef { get; set; }
    public DateTime Updated { get; set; }
    public string? UpdatedBy { get; set; }
}
