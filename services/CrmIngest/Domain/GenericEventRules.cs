namespace QuoteToCash.CrmIngest.Domain;

public sealed record MilestoneRequest(string? SourceSystem, string? MilestoneId, string? Name, decimal? Percent, decimal? Amount, DateTimeOffset? ReachedAt);

public sealed record TimeEntryRequest(string? SourceSystem, string? EntryId, string? Person, DateOnly? Date, decimal? Hours, bool? Billable, decimal? Rate,
    string? Description);

public sealed record DealStatusRequest(string? SourceSystem, DateTimeOffset? At);

/// <summary>Validation of the generic ingest's deal events besides "won" (ING-3). Pure.</summary>
public static class GenericEventRules
{
    public static Dictionary<string, string[]> Validate(MilestoneRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.MilestoneId))
            errors["milestoneId"] = ["The milestone's ID is required; it makes a re-sent milestone a no-op."];
        if (string.IsNullOrWhiteSpace(request.Name))
            errors["name"] = ["The milestone's name is required; it appears on the invoice."];
        if (request.Percent is null && request.Amount is null)
            errors["percent"] = ["Give the share of the contract (percent) or a fixed amount."];
        if (request.Percent is < 0 or > 100)
            errors["percent"] = ["A percentage between 0 and 100."];
        if (request.Amount is < 0)
            errors["amount"] = ["The amount cannot be negative."];
        return errors;
    }

    public static Dictionary<string, string[]> Validate(TimeEntryRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.EntryId))
            errors["entryId"] = ["The time entry's ID is required; it makes a re-sent entry a no-op."];
        if (string.IsNullOrWhiteSpace(request.Person))
            errors["person"] = ["Who worked is required (rate cards are per person or role)."];
        if (request.Date is null)
            errors["date"] = ["The day worked is required (yyyy-MM-dd)."];
        if (request.Hours is not > 0 || request.Hours > 24)
            errors["hours"] = ["Hours worked on one entry: more than 0, at most 24."];
        if (request.Rate is < 0)
            errors["rate"] = ["The rate cannot be negative."];
        return errors;
    }

    public static string Source(string? sourceSystem) =>
        string.IsNullOrWhiteSpace(sourceSystem) ? GenericDealNormalizer.DefaultSource : sourceSystem.Trim().ToLowerInvariant();
}
