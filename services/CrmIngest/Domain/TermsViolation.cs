namespace QuoteToCash.CrmIngest.Domain;

/// <summary>
/// Why a deal's billing terms (or a time entry) cannot be taken in: the field, as a path into the billing block
/// (<c>billing.milestones[2].percent</c>) or the CRM field it came from, and a message a finance user can act on.
/// </summary>
public sealed record TermsViolation(string Field, string Message)
{
    /// <summary>"field: message", as a refused CRM delivery lists it.</summary>
    public override string ToString() => $"{Field}: {Message}";

    /// <summary>The violations in the shape of a validation problem's <c>errors</c>.</summary>
    public static Dictionary<string, string[]> ToErrors(IEnumerable<TermsViolation> violations) =>
        violations.GroupBy(v => v.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(v => v.Message).ToArray(), StringComparer.Ordinal);

    /// <summary>Adds the violations to field errors already found (e.g. by a request's own checks).</summary>
    public static Dictionary<string, string[]> Merge(Dictionary<string, string[]> errors, IEnumerable<TermsViolation> violations)
    {
        foreach (var (field, messages) in ToErrors(violations))
            errors[field] = errors.TryGetValue(field, out var existing) ? [.. existing, .. messages] : messages;
        return errors;
    }
}
