using QuoteToCash.Contracts.CrmIngest;

namespace QuoteToCash.CrmIngest.Domain;

/// <summary>
/// A won deal as it would be announced, with everything that keeps its billing terms from being billed. A deal with
/// violations is not announced: the generic API answers 400, a CRM delivery records it as refused.
/// </summary>
public sealed record NormalizedDeal(DealWon Deal, IReadOnlyList<TermsViolation> Violations)
{
    public bool IsValid => Violations.Count == 0;
}
