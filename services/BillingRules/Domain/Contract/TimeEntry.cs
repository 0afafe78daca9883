namespace QuoteToCash.BillingRules.Domain;

/// <summary>Time worked on the deal's project, as the saga hands it over from <c>TimeEntryLogged</c>.</summary>
public sealed record TimeEntry(string EntryId, string Person, string? Role, DateOnly Date, decimal Hours, bool Billable, decimal? Rate, string? Description);
