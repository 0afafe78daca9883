namespace QuoteToCash.AccountingSync.Infrastructure.TimeActivities;

/// <summary>
/// One CRM time entry on its way to QuickBooks. <see cref="Attempt"/> goes up each time QuickBooks refuses the entry
/// for good, so that a retry after finance fixed the cause sends a new requestid (QuickBooks replays a repeated one,
/// refusal included); a re-delivery in between sends the same one and QuickBooks replays the create.
/// </summary>
public sealed class TimeActivityRecord
{
    public const string CollectionName = "qbo-time-activities";

    public string TenantId { get; set; } = string.Empty;
    public string TimeEntryId { get; set; } = string.Empty;
    public int Attempt { get; set; }
    public string? AccountingTimeActivityId { get; set; }
    public string? AccountingEmployeeId { get; set; }
    public DateTime? Posted { get; set; }
    public DateTime Updated { get; set; }

    public static string KeyFor(string tenantId, string timeEntryId) => $"{tenantId}:{timeEntryId}";
}
