namespace QuoteToCash.WebApp.Models;

// What accounting-sync's exception API answers (services/AccountingSync/Apis/ExceptionsApi.cs), as the pages read it.

/// <summary>One row of the exception queue.</summary>
public sealed record ExceptionSummary(Guid ExceptionId, string Kind, string Status, string RootCause, string Entity, string EntityId, string Operation,
    Guid? FlowId, string? DealRef, string? AccountingId, string Message, string SuggestedFix, string? Owner, DateTimeOffset OpenedAt,
    DateTimeOffset SlaDue, bool SlaBreached, int Occurrences, DateTimeOffset LastSeen, bool Retryable);

/// <summary>A page of the queue, with the count per status over the other filters.</summary>
public sealed record ExceptionPage(int Total, int Page, int PageSize, IReadOnlyDictionary<string, int> CountsByStatus, IReadOnlyList<ExceptionSummary> Items);

public sealed record ExceptionComment(string By, DateTimeOffset At, string Text);

public sealed record ExceptionHistory(string? From, string To, string By, DateTimeOffset At, string Why);

/// <summary>One exception in full: its comments and its history.</summary>
public sealed record ExceptionDetail(Guid ExceptionId, string Kind, string Status, string RootCause, string Entity, string EntityId, string Operation,
    Guid? FlowId, string? DealRef, string? AccountingId, string? RequestId, string Message, string SuggestedFix, string? Detail, string? Owner,
    DateTimeOffset OpenedAt, DateTimeOffset SlaDue, DateTimeOffset? SlaBreachedAt, int Occurrences, DateTimeOffset FirstSeen, DateTimeOffset LastSeen,
    DateTimeOffset? ClosedAt, string? ClosedBy, bool ResolvedAutomatically, int Retries, DateTimeOffset? LastRetriedAt, bool Retryable,
    string? WhyNotRetryable, IReadOnlyList<ExceptionComment> Comments, IReadOnlyList<ExceptionHistory> History)
{
    public bool IsActive => Status is "Open" or "Assigned";
}

public sealed record RetryOutcome(string Retried, ExceptionDetail Exception);

public sealed record SkippedRetry(Guid ExceptionId, string Reason);

public sealed record BulkRetryOutcome(int Matched, int Retried, IReadOnlyList<SkippedRetry> Skipped);

/// <summary>The kinds and statuses the queue filters on (accounting-sync's SyncExceptionKind and SyncExceptionStatus).</summary>
public static class ExceptionVocabulary
{
    public static readonly IReadOnlyList<string> Statuses = ["Open", "Assigned", "Resolved", "Ignored"];

    public static readonly IReadOnlyList<string> Kinds =
    [
        "MappingMissing", "DuplicateName", "Validation", "StaleObject", "AuthorizationExpired", "RateLimited", "QboUnavailable",
        "ManualEditConflict", "ReconciliationDrift", "PoisonMessage",
    ];

    /// <summary>A kind in words: "MappingMissing" → "Mapping missing".</summary>
    public static string Words(string pascal)
    {
        var text = new System.Text.StringBuilder();
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && text.Length > 0)
                text.Append(' ').Append(char.ToLowerInvariant(c));
            else
                text.Append(c);
        }
        return text.ToString().Replace("qbo", "QuickBooks", StringComparison.Ordinal);
    }
}
