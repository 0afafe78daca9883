namespace QuoteToCash.Sandbox.QuickBooks.Configuration;

/// <summary>The "QuickBooks" configuration section.</summary>
public sealed class QuickBooksOptions
{
    public const string Section = "QuickBooks";

    /// <summary>When set, realms, apps and tokens are saved to this JSON file and loaded at start.</summary>
    public string? DataFile { get; set; }

    /// <summary>The company's time zone: MetaData times and the response "time" carry its offset, as QBO's do.</summary>
    public string TimeZone { get; set; } = "America/Los_Angeles";

    /// <summary>How long a requestid's response is kept for replay. Intuit does not document a window.</summary>
    public TimeSpan RequestIdRetention { get; set; } = TimeSpan.FromHours(24);

    public LimitsOptions Limits { get; set; } = new();

    public WebhookOptions Webhooks { get; set; } = new();
}

public sealed class LimitsOptions
{
    /// <summary>Requests per <see cref="Window"/> per realm, batches included (QBO: 500 per minute).</summary>
    public int RequestsPerMinute { get; set; } = 500;

    /// <summary>Requests in flight at once per realm and app (QBO: 10).</summary>
    public int ConcurrentRequests { get; set; } = 10;

    /// <summary>Batch requests per <see cref="Window"/> per realm and app (QBO: 40 per minute).</summary>
    public int BatchesPerMinute { get; set; } = 40;

    /// <summary>Batch requests per <see cref="Window"/> per realm, all apps together (QBO: 120 per minute).</summary>
    public int BatchesPerMinutePerRealm { get; set; } = 120;

    /// <summary>The sliding window the per-minute limits count over; tests shrink it.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

public sealed class WebhookOptions
{
    /// <summary>Multiplies QBO's retry schedule (10 s, 20 s, 30 s, 5 min, …); 0.001 turns seconds into milliseconds.</summary>
    public double RetryDelayScale { get; set; } = 1.0;

    /// <summary>An endpoint that has not answered 200 within this time has failed the attempt (QBO: 3 seconds).</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Attempts per delivery before it is abandoned; 0 keeps retrying every 6 hours, as QBO does.</summary>
    public int MaxAttempts { get; set; }

    /// <summary>Events carried by one POST.</summary>
    public int MaxEventsPerDelivery { get; set; } = 100;
}
