namespace QuoteToCash.Reporting.Domain;

/// <summary>Read model: every event of one flow in the order reporting received them, as typed facts.</summary>
public sealed class FlowTimeline
{
    public const string CollectionName = "flow-timelines";

    public Guid FlowId { get; set; }
    public string TenantId { get; set; } = string.Empty;
    public string? DealName { get; set; }
    public DateTime? WonAt { get; set; }
    public string LastEvent { get; set; } = string.Empty;
    public DateTime LastEventAt { get; set; }
    public List<TimelineEntry> Entries { get; set; } = [];

    /// <summary>Appends an event and makes it the flow's latest.</summary>
    public void Append(TimelineEntry entry)
    {
        Entries.Add(entry);
        LastEvent = entry.Event;
        LastEventAt = entry.At;
    }
}

/// <summary>One event of a flow. Only the facts the event carries are set.</summary>
public sealed class TimelineEntry
{
    public string Event { get; set; } = string.Empty;
    /// <summary>When it happened: the event's own time on its producer's clock (a deal's close date, an invoice's posting).</summary>
    public DateTime At { get; set; }
    /// <summary>When its producer announced it (the message's send time, on the platform's clock): where the platform's own time goes.</summary>
    public DateTime? AnnouncedAt { get; set; }
    /// <summary>The deal amount, invoice total or payment amount.</summary>
    public decimal? Amount { get; set; }
    public string? Currency { get; set; }
    /// <summary>What is still owed after the event (invoice balance, balance after a payment).</summary>
    public decimal? Balance { get; set; }
    /// <summary>The accounting document number of an invoice.</summary>
    public string? DocNumber { get; set; }
    /// <summary>The platform's invoice the event is about, when it is about one.</summary>
    public Guid? InvoiceId { get; set; }
    public DateOnly? DueDate { get; set; }
    public Guid? CustomerId { get; set; }
    public string? CustomerName { get; set; }
    /// <summary>Why a customer waits for review; what a stuck flow or a posted time entry is.</summary>
    public List<string> Reasons { get; set; } = [];
    /// <summary>An invoice's status as the CRM shows it, for <c>InvoiceStatusChanged</c>; the saga state a stuck flow is in, for <c>FlowStuck</c>.</summary>
    public string? Status { get; set; }
    /// <summary>For <c>FlowStuck</c>: since when the flow has been in its state.</summary>
    public DateTime? Since { get; set; }
    /// <summary>For <c>FlowStuck</c>: how long the state was expected to take.</summary>
    public TimeSpan? ExpectedWithin { get; set; }
    /// <summary>For <c>TimeActivityPosted</c>: the CRM's time entry and the QuickBooks TimeActivity it became.</summary>
    public string? TimeEntryId { get; set; }
    public string? AccountingRef { get; set; }
}
