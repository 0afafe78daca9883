namespace QuoteToCash.ServiceDefaults.Telemetry;

/// <summary>Settings of the platform's sampled gauges (section <c>Telemetry</c>).</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>How often store counts and broker queue depths are read for the observable gauges.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Every this many samples the endpoints' <c>_error</c> queues are read too (they usually do not exist, and asking for a missing queue costs a channel).</summary>
    public int ErrorQueueEvery { get; set; } = 4;
}
