namespace QuoteToCash.CrmIngest.Infrastructure;

public sealed class ProducedEvent
{
    public string Type { get; set; } = string.Empty;
    public Guid FlowId { get; set; }
}
