namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// When a drafted invoice is non-standard and waits for a finance approver (BIL-3). A limit left null is not checked.
/// </summary>
public sealed class ApprovalPolicy
{
    /// <summary>A line discounted by more than this many percent needs approval.</summary>
    public decimal? MaxDiscountPercent { get; set; } = 10;
    /// <summary>An invoice due more than this many days after its date, or with terms that cannot be read, needs approval.</summary>
    public int? MaxNetDays { get; set; } = 30;
    /// <summary>An invoice whose total is above this (in the invoice's currency) needs approval.</summary>
    public decimal? MaxAmount { get; set; }
    public bool ManualLinesNeedApproval { get; set; } = true;
    /// <summary>How long an approval may wait before it is escalated, in hours (stored as a number so every store keeps it).</summary>
    public double SlaHours { get; set; } = 24;

    /// <summary><see cref="SlaHours"/> as a duration.</summary>
    public TimeSpan Sla => TimeSpan.FromHours(SlaHours);
}
