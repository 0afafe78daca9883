namespace QuoteToCash.WebApp.Models;

// What reporting's timeline API answers (services/Reporting/Apis/TimelineView.cs).

public sealed record TimelineEntry(string Event, DateTime At, decimal? Amount, string? Currency, decimal? Balance, string? DocNumber, Guid? InvoiceId,
    DateOnly? DueDate, Guid? CustomerId, string? CustomerName, IReadOnlyList<string> Reasons, string? Status);

public sealed record Timeline(Guid FlowId, string? DealName, DateTime? WonAt, string LastEvent, DateTime LastEventAt, IReadOnlyList<TimelineEntry> Entries);
