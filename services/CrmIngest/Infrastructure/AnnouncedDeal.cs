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
    /// <summary>The deal's currency (ISO 4217) as last announced.</summary>
    public string? Currency { get; set; }
    /// <summary>The billing terms last announced (<c>BillingTerms</c> as JSON): time entries of the deal are checked against their rate card.</summary>
    public string? Billing { get; set; }
}
