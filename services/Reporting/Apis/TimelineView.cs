using QuoteToCash.Reporting.Domain;

namespace QuoteToCash.Reporting.Apis;

/// <summary>A flow's timeline as the API shows it.</summary>
public sealed record TimelineView(
    Guid FlowId,
    string TenantId,
    string? DealName,
    DateTime? WonAt,
    string LastEvent,
    DateTime LastEventAt,
    IReadOnlyList<TimelineEntryView> Entries)
{
    public static TimelineView From(FlowTimeline timeline) => new(
        timeline.FlowId, timeline.TenantId, timeline.DealName, timeline.WonAt, timeline.LastEvent, timeline.LastEventAt,
        timeline.Entries.Select(TimelineEntryView.From).ToList());
}

public sealed record TimelineEntryView(
    string Event,
    DateTime At,
    decimal? Amount,
    string? Currency,
    decimal? Balance,
    string? DocNumber,
    Guid? InvoiceId,
    DateOnly? DueDate,
    Guid? CustomerId,
    string? CustomerName,
    IReadOnlyList<string> Reasons,
    string? Status,
    DateTime? Since = null,
    TimeSpan? ExpectedWithin = null,
    string? TimeEntryId = null,
    string? AccountingRef = null,
    DateTime? AnnouncedAt = null)
{
    public static TimelineEntryView From(TimelineEntry entry) => new(
        entry.Event, entry.At, entry.Amount, entry.Currency, entry.Balance, entry.DocNumber, entry.InvoiceId, entry.DueDate, entry.CustomerId,
        entry.CustomerName, entry.Reasons.ToList(), entry.Status, entry.Since, entry.ExpectedWithin, entry.TimeEntryId, entry.AccountingRef, entry.AnnouncedAt);
}
