namespace QuoteToCash.Contracts.AccountingSync;

/// <summary>
/// Command to accounting-sync: record a CRM time entry in QuickBooks as a TimeActivity (person, customer, item, hours,
/// billable or not, rate), exactly once per <see cref="TimeEntryId"/>. The person is found or created as a QuickBooks
/// Employee by name. Answered with <see cref="TimeActivityPosted"/>; a refusal becomes a sync exception.
/// </summary>
public sealed record PostTimeActivity : IFlowMessage
{
    public required string TenantId { get; init; }
    public required Guid FlowId { get; init; }
    /// <summary>The CRM time entry's ID (stable; the QuickBooks requestid derives from it).</summary>
    public required string TimeEntryId { get; init; }
    public required string Person { get; init; }
    public string? Role { get; init; }
    /// <summary>The QuickBooks Customer.Id the time was worked for.</summary>
    public required string CustomerRef { get; init; }
    /// <summary>The QuickBooks Item.Id of the service; null leaves it unset.</summary>
    public string? ItemRef { get; init; }
    public required DateOnly Date { get; init; }
    public decimal Hours { get; init; }
    public bool Billable { get; init; }
    /// <summary>Hourly rate in <see cref="Currency"/>; null for non-billable time without a rate.</summary>
    public decimal? HourlyRate { get; init; }
    public required string Currency { get; init; }
    public string? Description { get; init; }
}
