namespace QuoteToCash.AccountingSync.Messages;

/// <summary>
/// accounting-sync to itself, through the store-backed scheduler: an exception's SLA has passed. If the record is still
/// open or assigned, ExceptionSlaBreached is published (once).
/// </summary>
public sealed record ExceptionSlaDue
{
    public required string TenantId { get; init; }
    public required Guid ExceptionId { get; init; }
}
