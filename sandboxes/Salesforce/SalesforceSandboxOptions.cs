namespace QuoteToCash.Sandbox.Salesforce;

/// <summary>Configuration section "Salesforce".</summary>
public sealed class SalesforceSandboxOptions
{
    public const string Section = "Salesforce";

    /// <summary>JSON file that keeps orgs, users and records between runs; empty keeps everything in memory.</summary>
    public string? DataFile { get; set; }

    /// <summary>The instance URL handed out by the token endpoint and control API; empty: the URL the request came in on.</summary>
    public string? InstanceUrl { get; set; }

    public QueryOptions Query { get; set; } = new();

    public OutboundMessageOptions OutboundMessages { get; set; } = new();

    public ChangeEventOptions ChangeEvents { get; set; } = new();

    public sealed class QueryOptions
    {
        /// <summary>Records per query page before nextRecordsUrl (Salesforce: 2000 by default).</summary>
        public int BatchSize { get; set; } = 2000;
    }

    public sealed class OutboundMessageOptions
    {
        /// <summary>Notifications per SOAP message (Salesforce: at most 100).</summary>
        public int MaxBatchSize { get; set; } = 100;

        public int FlushIntervalMs { get; set; } = 1000;

        /// <summary>First retry delay; doubles per retry up to RetryMaxDelayMs (Salesforce: up to 2 hours between retries).</summary>
        public int RetryBaseDelayMs { get; set; } = 15_000;

        public int RetryMaxDelayMs { get; set; } = 7_200_000;

        /// <summary>Notifications older than this are dropped (Salesforce: 24 hours).</summary>
        public long MaxAgeMs { get; set; } = 86_400_000;

        /// <summary>Time allowed for the listener to answer (Salesforce: 60 s).</summary>
        public int TimeoutMs { get; set; } = 60_000;
    }

    public sealed class ChangeEventOptions
    {
        public int MaxRetries { get; set; } = 10;

        public int RetryBaseDelayMs { get; set; } = 5000;

        public int RetryMaxDelayMs { get; set; } = 600_000;

        public int TimeoutMs { get; set; } = 10_000;
    }
}
