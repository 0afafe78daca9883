using QuoteToCash.Contracts;
using QuoteToCash.Contracts.CrmIngest;

namespace QuoteToCash.CrmIngest.Domain;

public sealed record MilestoneRequest(string? SourceSystem, string? MilestoneId, string? Name, decimal? Percent, decimal? Amount, DateTimeOffset? ReachedAt);

/// <param name="Role">The person's role on the rate card (e.g. "senior"); the rate card prices the entry when it has no rate.</param>
public sealed record TimeEntryRequest(string? SourceSystem, string? EntryId, string? Person, DateOnly? Date, decimal? Hours, bool? Billable, decimal? Rate,
    string? Description, string? Role = null);

public sealed record DealStatusRequest(string? SourceSystem, DateTimeOffset? At);

/// <summary>Validation of the generic ingest's deal events besides "won" (ING-3). Pure.</summary>
public static class GenericEventRules
{

    /// <param name="plannedMilestoneIds">The milestones in the announced deal's plan (and the project's completion), which
    /// bill what the plan says; any other milestone must say what it bills.</param>
    public static Dictionary<string, string[]> Validate(MilestoneRequest request, IReadOnlyCollection<string>? plannedMilestoneIds = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.MilestoneId))
            errors["milestoneId"] = ["The milestone's ID is required; it makes a re-sent milestone a no-op."];
        else if (request.MilestoneId.Trim().Length > BillingTermsRules.MaxIdLength)
            errors["milestoneId"] = [$"At most {BillingTermsRules.MaxIdLength} characters."];
        if (string.IsNullOrWhiteSpace(request.Name))
            errors["name"] = ["The milestone's name is required; it appears on the invoice."];
        var planned = request.MilestoneId is { } id && (string.Equals(id.Trim(), MilestoneReached.Completion, StringComparison.OrdinalIgnoreCase)
                                                        || plannedMilestoneIds?.Contains(id.Trim(), StringComparer.Ordinal) == true);
        if (request.Percent is null && request.Amount is null && !planned)
            errors["percent"] = ["The milestone is not in the deal's plan: give the share of the contract (percent) or a fixed amount."];
        if (request.Percent is < 0 or > 100)
            errors["percent"] = ["A percentage between 0 and 100."];
        if (request.Amount is < 0)
            errors["amount"] = ["The amount cannot be negative."];
        return errors;
    }

    /// <summary>
    /// A time entry's own rules and, when the deal's rates are known (<paramref name="knownRates"/>: the deal's rate card
    /// with the tenant's), that its role is on them. Null when the deal's terms are unknown here.
    /// </summary>
    public static Dictionary<string, string[]> Validate(TimeEntryRequest request, IReadOnlyCollection<RateCardEntry>? knownRates = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.EntryId))
            errors["entryId"] = ["The time entry's ID is required; it makes a re-sent entry a no-op."];
        else if (request.EntryId.Trim().Length > BillingTermsRules.MaxIdLength)
            errors["entryId"] = [$"At most {BillingTermsRules.MaxIdLength} characters."];
        if (string.IsNullOrWhiteSpace(request.Person))
            errors["person"] = ["Who worked is required (rate cards are per person or role)."];
        else if (request.Person.Trim().Length > BillingTermsRules.MaxIdLength)
            errors["person"] = [$"At most {BillingTermsRules.MaxIdLength} characters."];
        if (request.Date is null)
            errors["date"] = ["The day worked is required (yyyy-MM-dd)."];
        if (request.Hours is not > 0 || request.Hours > 24)
            errors["hours"] = ["Hours worked on one entry: more than 0, at most 24."];
        if (request.Rate is < 0)
            errors["rate"] = ["The rate cannot be negative."];
        if (request.Role is { } role && !string.IsNullOrWhiteSpace(role))
        {
            if (role.Trim().Length > BillingTermsRules.MaxIdLength)
                errors["role"] = [$"At most {BillingTermsRules.MaxIdLength} characters."];
            else if (knownRates is not null && !BillingTermsRules.HasRole(knownRates, role))
                errors["role"] = [knownRates.Count == 0
                    ? $"Role '{role.Trim()}' is on neither the deal's nor the tenant's rate card: neither has any rates."
                    : $"Role '{role.Trim()}' is on neither the deal's nor the tenant's rate card; known roles: " +
                      string.Join(", ", knownRates.Select(r => r.Role).Distinct(StringComparer.OrdinalIgnoreCase)) + "."];
        }
        return errors;
    }

    public static string Source(string? sourceSystem) =>
        string.IsNullOrWhiteSpace(sourceSystem) ? GenericDealNormalizer.DefaultSource : sourceSystem.Trim().ToLowerInvariant();
}
