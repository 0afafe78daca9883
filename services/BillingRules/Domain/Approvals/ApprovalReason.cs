namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// Why a draft needs approval, written for the approver: <see cref="Code"/> is one of <see cref="ApprovalReason.Discount"/>,
/// <see cref="ApprovalReason.Terms"/>, <see cref="ApprovalReason.Amount"/>, <see cref="ApprovalReason.ManualLine"/>;
/// <see cref="Difference"/> says how far the invoice is from the standard ("discount 15% exceeds the 10% limit by 5 points").
/// </summary>
public sealed class ApprovalReason
{
    public const string Discount = "Discount";
    public const string Terms = "Terms";
    public const string Amount = "Amount";
    public const string ManualLine = "ManualLine";

    public string Code { get; set; } = string.Empty;
    public string Message { get; set; } = string.Empty;
    /// <summary>What the policy allows or the tenant's standard ("10%", "Net 30").</summary>
    public string? Standard { get; set; }
    /// <summary>What the invoice has ("15%", "Net 60").</summary>
    public string? Actual { get; set; }
    public string? Difference { get; set; }
}
