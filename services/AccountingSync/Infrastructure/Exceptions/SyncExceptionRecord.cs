using QuoteToCash.AccountingSync.Domain.Exceptions;

namespace QuoteToCash.AccountingSync.Infrastructure.Exceptions;

/// <summary>
/// One problem finance must act on (ACC-4): what happened to which entity of which deal, in finance's words with a
/// concrete fix, QuickBooks' own detail kept apart for engineers, who owns it, by when (the SLA), and everything that
/// happened to it since. Typed facts only; the API words them.
/// </summary>
public sealed class SyncExceptionRecord
{
    public const string CollectionName = "sync-exceptions";

    public Guid ExceptionId { get; set; }
    public string TenantId { get; set; } = string.Empty;
    public SyncExceptionKind Kind { get; set; }
    public RootCause RootCause { get; set; }
    public SyncExceptionStatus Status { get; set; }

    /// <summary>Invoice, Customer, CreditMemo, Refund, Connection, Flow, a message type, …</summary>
    public string Entity { get; set; } = string.Empty;
    public string EntityId { get; set; } = string.Empty;
    /// <summary>PostInvoice, SyncCustomer, PostCreditMemo, IssueRefund, Authorize, BillingHold, Consume, …</summary>
    public string Operation { get; set; } = string.Empty;
    public Guid? FlowId { get; set; }
    public string? DealRef { get; set; }
    public string? AccountingId { get; set; }
    public string? RequestId { get; set; }

    public string Message { get; set; } = string.Empty;
    public string SuggestedFix { get; set; } = string.Empty;
    public string? Detail { get; set; }
    /// <summary>What a retry sends again: a command's (or a failed message's) CLR full name and JSON.</summary>
    public string? CommandType { get; set; }
    public string? CommandJson { get; set; }

    public string? Owner { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset SlaDue { get; set; }
    /// <summary>When the SLA was found breached (ExceptionSlaBreached published), once.</summary>
    public DateTimeOffset? SlaBreachedAt { get; set; }
    public int Occurrences { get; set; }
    public DateTimeOffset FirstSeen { get; set; }
    public DateTimeOffset LastSeen { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
    /// <summary>Closed by a later success (or a lifted hold, or re-authorisation) rather than by a person.</summary>
    public bool ResolvedAutomatically { get; set; }
    public int Retries { get; set; }
    public DateTimeOffset? LastRetriedAt { get; set; }

    public List<ExceptionComment> Comments { get; set; } = [];
    public List<ExceptionStatusChange> History { get; set; } = [];

    public static string KeyFor(Guid exceptionId) => exceptionId.ToString("D");

    public ExceptionFacts Facts() => new(Kind, RootCause, Status, Occurrences, OpenedAt, ClosedAt, ResolvedAutomatically);

    /// <summary>Moves to a new status and records who, when and why.</summary>
    public void Move(SyncExceptionStatus to, string by, DateTimeOffset at, string why)
    {
        History.Add(new ExceptionStatusChange { From = Status, To = to, By = by, At = at, Why = why });
        Status = to;
        if (!ExceptionRules.IsActive(to))
        {
            ClosedAt = at;
            ClosedBy = by;
        }
    }
}

/// <summary>A note someone left on an exception.</summary>
public sealed class ExceptionComment
{
    public string By { get; set; } = string.Empty;
    public DateTimeOffset At { get; set; }
    public string Text { get; set; } = string.Empty;
}

/// <summary>One entry of an exception's history: a status change, an assignment, a retry, each with who, when and why.</summary>
public sealed class ExceptionStatusChange
{
    public SyncExceptionStatus? From { get; set; }
    public SyncExceptionStatus To { get; set; }
    public string By { get; set; } = string.Empty;
    public DateTimeOffset At { get; set; }
    public string Why { get; set; } = string.Empty;
}

/// <summary>
/// Present while an exception is open or assigned, under the key of its tenant, kind, entity and operation: the one
/// open record a repeat adds its occurrence to. Deleted in the same commit that resolves or ignores the record.
/// </summary>
public sealed class SyncExceptionOpenKey
{
    public const string CollectionName = "sync-exception-open-keys";

    public Guid ExceptionId { get; set; }

    /// <summary>The document key: the open key, hashed to a fixed length (it holds free-form IDs).</summary>
    public static string KeyFor(string openKey) => QuoteToCash.Contracts.DeterministicId.Create("sync-exception-open", openKey).ToString("N");
}
