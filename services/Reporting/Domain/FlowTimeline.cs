namespace QuoteToCash.Reporting.Domain;

/// <summary>Read model: every event of one flow in the order reporting received them.</summary>
public sealed class FlowTimeline
{
    public const string CollectionName = "flow-timelines";

    public Guid FlowId { get; set; }
    public string TenantId { get; set; } = string.Empty;
    public string? DealName { get; set; }
    public DateTime? WonAt { get; set; }
    public string LastEvent { get; set; } = string.Empty;
    public DateTime LastEventAt { get; set; }
    public List<TimelineEntry> Entries { get; set; } = [];
}

public sealed class TimelineEntry
{
    public string Event { get; set; } = string.Empty;
    public DateTime At { get; set; }
    public string? Detail { get; set; }
}
