namespace QuoteToCash.BillingRules.Domain;

/// <summary>Whether segregation of duties lets this person approve, and if not, why (for the approver to read).</summary>
public sealed record SodDecision(bool Allowed, string? Reason)
{
    public static readonly SodDecision Allow = new(true, null);

    public static SodDecision Refuse(string reason) => new(false, reason);
}
