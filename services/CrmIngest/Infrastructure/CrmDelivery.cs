namespace QuoteToCash.CrmIngest.Infrastructure;

/// <summary>
/// Everything a CRM delivered, as received: the operator's answer to "did the CRM tell us?". The record is written once,
/// at intake; what processing made of each event is kept beside it (<see cref="CrmDeliveryOutcome"/>), so the events of
/// one delivery never contend for the same document, and the raw body apart (<see cref="CrmDeliveryBody"/>), so listing
/// deliveries never reads bodies. <see cref="CrmDeliveries"/> puts the three together.
/// </summary>
public sealed class CrmDelivery
{
    public const string CollectionName = "crm-deliveries";

    public string DeliveryId { get; set; } = string.Empty;
    public string TenantId { get; set; } = string.Empty;
    /// <summary>"hubspot", "salesforce-outbound", "salesforce-events".</summary>
    public string Source { get; set; } = string.Empty;
    public DateTime Received { get; set; }
    /// <summary><see cref="Received"/> in ticks: the indexed order deliveries are listed and paged in (the engines keep DateTime to the millisecond).</summary>
    public long ReceivedTicks { get; set; }
    public string SignatureVerdict { get; set; } = string.Empty;
    public int Events { get; set; }
    public int Duplicates { get; set; }
    public int Echoes { get; set; }
    /// <summary>
    /// At intake: Received (events handed to processing), Duplicate, WrongPortal, Ignored… Once processed, the listing shows
    /// the status folded from the outcomes: Processed, Refused (a won deal's billing terms were refused), Failed, Ignored.
    /// </summary>
    public string Status { get; set; } = "Received";
    public string? Error { get; set; }
    public List<string> ObjectIds { get; set; } = [];
    public List<string> EventIdentities { get; set; } = [];
    /// <summary>Filled from the outcomes when read through <see cref="CrmDeliveries"/>; empty as stored.</summary>
    public List<ProducedEvent> Produced { get; set; } = [];
    /// <summary>Won deals of this delivery that were not announced, with the reasons; a later change that fixes the terms is taken in as usual.</summary>
    public List<RefusedDeal> Refused { get; set; } = [];
}
