namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>
/// accounting-sync opened a record in finance's exception queue. A repeat of the same problem adds an occurrence to the open
/// record and is not announced again. Not an <see cref="IFlowMessage"/>: many exceptions (a connection, a customer) have no flow.
/// </summary>
public sealed record SyncExceptionOpened
{
    public required string TenantId { get; init; }
    public required Guid ExceptionId { get; init; }
    /// <summary>MappingMissing, DuplicateName, Validation, StaleObject, AuthorizationExpired, RateLimited, QboUnavailable, ManualEditConflict, ReconciliationDrift or PoisonMessage.</summary>
    public required string Kind { get; init; }
    /// <summary>MasterData, Configuration, QuickBooksRules, QuickBooksAvailability, Authorization, ManualChangeInQuickBooks or Platform.</summary>
    public required string RootCause { get; init; }
    /// <summary>Invoice, Customer, CreditMemo, Refund, Connection, Flow, a message type, …</summary>
    public required string Entity { get; init; }
    public required string EntityId { get; init; }
    /// <summary>PostInvoice, SyncCustomer, PostCreditMemo, Inbound, Reconcile, BillingHold, Consume, …</summary>
    public required string Operation { get; init; }
    public Guid? FlowId { get; init; }
    /// <summary>The CRM deal as "source:externalId", when known.</summary>
    public string? DealRef { get; init; }
    public string? Owner { get; init; }
    /// <summary>When the record was opened, on accounting-sync's clock.</summary>
    public required DateTimeOffset OpenedAt { get; init; }
    public required DateTimeOffset SlaDue { get; init; }
}
