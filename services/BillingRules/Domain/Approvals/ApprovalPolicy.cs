namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// When a drafted invoice is non-standard and waits for a finance approver (BIL-3). A limit left null is not checked.
/// The limits have no defaults of their own: the embedded store does not keep nulls, so a limit a tenant switched off
/// must read back as null. A new tenant's policy starts from <see cref="Standard"/>.
/// </summary>
public sealed class ApprovalPolicy
{
    /// <summary>A line discounted by more than this many percent needs approval.</summary>
    public decimal? MaxDiscountPercent { get; set; }
    /// <summary>An invoice due more than this many days after its date, or with terms that cannot be read, needs approval.</summary>
    public int? MaxNetDays { get; set; }
    /// <summary>An invoice whose total is above this (in the invoice's currency) needs approval.</summary>
    public decimal? MaxAmount { get; set; }
    public bool ManualLinesNeedApproval { get; set; } = true;
    /// <summary>How long an approval may wait before it is escalated, in hours (stored as a number so every store keeps it).</summary>
    public double SlaHours { get; set; } = 24;

    /// <summary>The policy a tenant starts with: discounts above 10 %, terms beyond 30 days and manual lines need approval within 24 hours.</summary>
    public static ApprovalPolicy Standard() => new() { MaxDiscountPercent = 10, MaxNetDays = 30 };

    /// <summary><see cref="SlaHours"/> as a duration.</summary>
    public TimeSpan Sla => TimeSpan.FromHours(SlaHours);
}
