namespace QuoteToCash.CrmIngest.Infrastructure;

/// <summary>An event of the generic API already taken in (by kind, flow and the caller's key): the same event sent again is a no-op.</summary>
public sealed class GenericEventSeen
{
    public const string CollectionName = "generic-events";

    public string Kind { get; set; } = string.Empty;
    public Guid FlowId { get; set; }
    public DateTime Received { get; set; }
}
