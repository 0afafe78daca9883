namespace QuoteToCash.CrmIngest.Infrastructure;

/// <summary>What crm-ingest last announced for a won deal, so the same state is announced once and a change as a change.</summary>
public sealed class AnnouncedDeal
{
    public const string CollectionName = "announced-deals";

    public Guid FlowId { get; set; }
    public string TenantId { get; set; } = string.Empty;
    public string ContentHash { get; set; } = string.Empty;
    public decimal Amount { get; set; }
    public DateTime AnnouncedAt { get; set; }
    public int Changes { get; set; }
    /// <summary>The deal went back to an open stage after being announced; winning it again announces it again.</summary>
    public bool Reopened { get; set; }
}
