namespace QuoteToCash.BillingRules.Domain;

/// <summary>
/// Whether the platform bills a deal, in which mode, and, when it does not, why (the deal stays with finance's manual
/// process).
/// </summary>
public sealed record RolloutDecision(bool Bill, BillingMode Mode, string? SkippedBecause)
{
    /// <summary>True when drafted invoices go to an accounting company (live or sandbox); a parallel run only drafts.</summary>
    public bool Posts => Bill && Mode != BillingMode.ParallelRun;
}
