using QuoteToCash.AccountingSync.Domain.Exceptions;

namespace QuoteToCash.AccountingSync.Messages;

/// <summary>
/// accounting-sync to itself: something finance must act on happened to one entity. The exception queue opens a record,
/// or adds the occurrence to the open record of the same tenant, kind, entity and operation.
/// </summary>
public sealed record OpenSyncException
{
    public required string TenantId { get; init; }
    public required SyncExceptionKind Kind { get; init; }
    /// <summary>Invoice, Customer, CreditMemo, RefundReceipt, Payment, TimeActivity, Connection, Message, …</summary>
    public required string Entity { get; init; }
    /// <summary>The platform's ID of the entity (invoice ID, customer ID, time entry ID, realm ID, …).</summary>
    public required string EntityId { get; init; }
    /// <summary>What was being done: PostInvoice, SyncCustomer, SendInvoice, PostTimeActivity, Inbound, Reconcile, …</summary>
    public required string Operation { get; init; }
    public Guid? FlowId { get; init; }
    /// <summary>The CRM deal as "source:externalId", when known.</summary>
    public string? DealRef { get; init; }
    /// <summary>The QuickBooks entity ID, when it exists.</summary>
    public string? AccountingId { get; init; }
    /// <summary>The requestid the operation was sent with; a retry sends the same.</summary>
    public string? RequestId { get; init; }
    /// <summary>What happened, in finance's words (never a stack trace).</summary>
    public required string Message { get; init; }
    /// <summary>A concrete fix (e.g. "Map product 'Widget' to a QuickBooks item, then press Retry").</summary>
    public required string SuggestedFix { get; init; }
    /// <summary>QuickBooks' own code and detail, kept for engineers.</summary>
    public string? Detail { get; init; }
    /// <summary>For operations run from a command: the command to send again on retry (its CLR type's full name and JSON).</summary>
    public string? CommandType { get; init; }
    public string? CommandJson { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}
