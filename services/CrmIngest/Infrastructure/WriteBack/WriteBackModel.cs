namespace QuoteToCash.CrmIngest.Infrastructure.WriteBack;

/// <summary>The invoice facts written back to a CRM deal (HubSpot) or Opportunity (Salesforce); a null member is left as it is in the CRM.</summary>
public sealed record InvoiceWriteBack(string? InvoiceNumber, string? Status, decimal? BalanceDue, DateOnly? PaidDate)
{
    public bool IsEmpty => InvoiceNumber is null && Status is null && BalanceDue is null && PaidDate is null;
}

/// <summary>The values the write-back uses: the invoice statuses and account standings the CRM picklists offer.</summary>
public static class WriteBackValues
{
    public const string Draft = "Draft";
    public const string AwaitingApproval = "Awaiting approval";
    public const string Posted = "Posted";
    public const string Sent = "Sent";
    public const string PartiallyPaid = "Partially paid";
    public const string Paid = "Paid";
    public const string Overdue = "Overdue";
    public const string Voided = "Voided";

    public static readonly IReadOnlyList<string> InvoiceStatuses = [Draft, AwaitingApproval, Posted, Sent, PartiallyPaid, Paid, Overdue, Voided];

    public const string Good = "Good";
    public const string PastDue30 = "Past due 30+";

    public static readonly IReadOnlyList<string> Standings = [Good, PastDue30];

    /// <summary>The status as the picklist spells it, or null when it is not one of them.</summary>
    public static string? Canonical(IReadOnlyList<string> allowed, string? value) =>
        allowed.FirstOrDefault(a => string.Equals(a, value?.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Which CRM object a flow's invoices are written back to, recorded from DealWon ("flow-crm-objects", key = flowId "D").
/// Kept by the write-back itself so that the ingest side's own records stay untouched.
/// </summary>
public sealed class FlowCrmObject
{
    public const string CollectionName = "flow-crm-objects";

    public Guid FlowId { get; set; }
    public string TenantId { get; set; } = string.Empty;
    /// <summary>"hubspot", "salesforce" or a generic-ingest source name (nothing is written back for those).</summary>
    public string SourceSystem { get; set; } = string.Empty;
    public string ExternalDealId { get; set; } = string.Empty;
    public string? CompanyExternalId { get; set; }
    public DateTime Recorded { get; set; }
}

/// <summary>
/// The newest invoice change written back per invoice ("crm-write-back-invoices", key = "flowId:invoiceId"), so that a
/// late or redelivered older event (a Posted after the Paid) does not overwrite a newer status in the CRM.
/// </summary>
public sealed class InvoiceWriteBackState
{
    public const string CollectionName = "crm-write-back-invoices";

    public Guid FlowId { get; set; }
    public Guid InvoiceId { get; set; }
    public string TenantId { get; set; } = string.Empty;
    public string? InvoiceNumber { get; set; }
    public string? Status { get; set; }
    public DateTime LastChangeAt { get; set; }
    public DateTime Written { get; set; }

    public static string Key(Guid flowId, Guid invoiceId) => $"{flowId:D}:{invoiceId:D}";
}

/// <summary>Write-back settings (section "CrmIngest:WriteBack").</summary>
public sealed class WriteBackOptions
{
    public const string Section = "CrmIngest:WriteBack";

    /// <summary>
    /// HubSpot requests the write-back makes per token per <see cref="HubSpotWindow"/>. HubSpot allows 100 per 10 s per app;
    /// the reads (HubSpotClient) keep 90 of them, so the write-back paces itself to the remaining 10.
    /// </summary>
    public int HubSpotPermitsPerWindow { get; set; } = 10;

    public TimeSpan HubSpotWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per HubSpot/Salesforce request (429, 5xx, transport errors) before the consumer throws and MassTransit retries.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Longest single wait after a 429 or 5xx.</summary>
    public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Simultaneous Salesforce requests per org (Salesforce limits concurrent long-running requests and the daily total).</summary>
    public int SalesforceConcurrency { get; set; } = 5;
}

/// <summary>A CRM refused a write-back for a reason a plain retry may not fix (missing field, unknown record); the message says what to do.</summary>
public sealed class CrmWriteBackException(string message, System.Net.HttpStatusCode? status = null, Exception? inner = null) : Exception(message, inner)
{
    public System.Net.HttpStatusCode? Status { get; } = status;
}
