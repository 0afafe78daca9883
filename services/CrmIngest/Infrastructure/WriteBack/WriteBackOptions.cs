namespace QuoteToCash.CrmIngest.Infrastructure.WriteBack;

/// <summary>Write-back settings (section "CrmIngest:WriteBack").</summary>
public sealed class WriteBackOptions
{
    public const string Section = "CrmIngest:WriteBack";

    /// <summary>
    /// HubSpot requests the write-back makes per token per <see cref="HubSpotWindow"/> until HubSpot's first answer reports
    /// the portal's real limit. HubSpot's lowest plan allows 100 per 10 s per app; the reads keep 90 of them.
    /// </summary>
    public int HubSpotPermitsPerWindow { get; set; } = 10;

    public TimeSpan HubSpotWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The write-back's share of the limit HubSpot reports (<c>X-HubSpot-RateLimit-Max</c> per
    /// <c>-Interval-Milliseconds</c>) once it has answered; intake's reads get the rest.
    /// </summary>
    public decimal HubSpotWriteShare { get; set; } = 0.1m;

    /// <summary>Attempts per HubSpot/Salesforce request (429, 5xx, transport errors) before the consumer throws and MassTransit retries.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Longest single wait after a 429 or 5xx.</summary>
    public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Simultaneous Salesforce requests per org (Salesforce limits concurrent long-running requests and the daily total).</summary>
    public int SalesforceConcurrency { get; set; } = 5;
}
