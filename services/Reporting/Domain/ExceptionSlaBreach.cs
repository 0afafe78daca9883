namespace QuoteToCash.Reporting.Domain;

/// <summary>
/// Read model: one sync exception that stayed open past its SLA, as the CFO dashboard counts them (per tenant, kind and
/// week; how late; who owned it). Keyed by the exception, so a repeated alert changes nothing.
/// </summary>
public sealed class ExceptionSlaBreach
{
    public const string CollectionName = "exception-sla-breaches";

    public Guid ExceptionId { get; set; }
    public string TenantId { get; set; } = string.Empty;
    /// <summary>The exception's kind as accounting-sync names it (MappingMissing, Validation, …).</summary>
    public string Kind { get; set; } = string.Empty;
    public Guid? FlowId { get; set; }
    public string? DealRef { get; set; }
    public string? Owner { get; set; }
    public DateTime OpenedAt { get; set; }
    public DateTime SlaDue { get; set; }
    public DateTime DetectedAt { get; set; }

    /// <summary>How far past the SLA the breach was detected.</summary>
    public TimeSpan Overdue => DetectedAt - SlaDue;

    public static string KeyFor(Guid exceptionId) => exceptionId.ToString("D");
}
