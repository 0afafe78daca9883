namespace QuoteToCash.AccountingSync.Messages;

/// <summary>
/// accounting-sync to itself: read the tenant's invoice, payment and credit memo changes from QuickBooks' CDC since the
/// last sweep. Fired by the store-backed scheduler: once at start-up and every <c>QuickBooks:Inbound:SweepInterval</c>.
/// </summary>
public sealed record SweepQuickBooksChanges
{
    public required string TenantId { get; init; }
    /// <summary>The start-up sweep always runs; a recurring one closer than MinSweepSpacing to the last sweep is skipped.</summary>
    public bool StartUp { get; init; }
}
