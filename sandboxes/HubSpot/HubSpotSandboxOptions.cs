namespace QuoteToCash.Sandbox.HubSpot;

/// <summary>Configuration section "HubSpot". Every limit that tests need to scale down lives here.</summary>
public sealed class HubSpotSandboxOptions
{
    public const string Section = "HubSpot";

    /// <summary>JSON file that keeps portals, apps and CRM data between runs; empty keeps everything in memory.</summary>
    public string? DataFile { get; set; }

    public RateLimitOptions RateLimit { get; set; } = new();

    public WebhookOptions Webhooks { get; set; } = new();

    public sealed class RateLimitOptions
    {
        /// <summary>Requests per app per portal in one rolling burst window (HubSpot: 100 per 10 s for OAuth and Free/Starter private apps).</summary>
        public int BurstLimit { get; set; } = 100;

        public int BurstWindowMs { get; set; } = 10_000;

        public int DailyLimit { get; set; } = 250_000;

        /// <summary>CRM search requests per portal per second; 0 turns the search limit off.</summary>
        public int SearchPerSecond { get; set; } = 5;
    }

    public sealed class WebhookOptions
    {
        /// <summary>Most events in one POST (HubSpot sends at most 100).</summary>
        public int MaxBatchSize { get; set; } = 100;

        /// <summary>How long events gather before a batch is sent.</summary>
        public int FlushIntervalMs { get; set; } = 1000;

        /// <summary>Retries after the first attempt (HubSpot: up to 10).</summary>
        public int MaxRetries { get; set; } = 10;

        /// <summary>Delay before retry n is RetryBaseDelayMs * 2^(n-1), capped by RetryMaxDelayMs, with ±20 % jitter.</summary>
        public int RetryBaseDelayMs { get; set; } = 60_000;

        public int RetryMaxDelayMs { get; set; } = 3_600_000;

        public int TimeoutMs { get; set; } = 5000;

        public int MaxConcurrentRequests { get; set; } = 10;

        /// <summary>HubSpot does not guarantee order; shuffling each batch keeps receivers honest.</summary>
        public bool ShuffleOrder { get; set; } = true;
    }
}
