namespace QuoteToCash.ServiceDefaults.Messaging;

/// <summary>Bound from the <c>Messaging</c> configuration section.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>Prefix for this service's queue names, e.g. "billing-rules".</summary>
    public string? EndpointPrefix { get; set; }

    public ushort PrefetchCount { get; set; } = 32;

    /// <summary>Declare receive queues as quorum queues (clusters, k8s). Off for a single local broker.</summary>
    public bool QuorumQueues { get; set; }

    /// <summary>In-process retry intervals, in milliseconds, before a message goes to its _error queue.</summary>
    public int[]? RetryIntervalsMs { get; set; }

    internal int[] EffectiveRetryIntervalsMs => RetryIntervalsMs is { Length: > 0 } configured ? configured : [50, 200, 500, 1000, 2000, 5000];

    /// <summary>Immediate re-runs of a message whose commit hit a concurrent write (saga or document), before the general retries.</summary>
    public int ConflictRetryLimit { get; set; } = 25;

    public OutboxOptions Outbox { get; set; } = new();

    public SchedulerOptions Scheduler { get; set; } = new();

    public FaultInjectionOptions FaultInjection { get; set; } = new();
}

public sealed class OutboxOptions
{
    /// <summary>How long the writer keeps the right to deliver a fresh record inline before the dispatcher may take it.</summary>
    public TimeSpan InlineLease { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a dispatcher's claim on a record lasts.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// How many committed batches may wait in memory for background delivery. Beyond it, a batch is not held in
    /// memory: it stays in the store, and the dispatcher delivers it when its inline lease runs out. A stalled broker
    /// therefore costs bounded memory and delays delivery, never loses it.
    /// </summary>
    public int HandOffCapacity { get; set; } = 1024;

    /// <summary>How long inbox entries are kept, i.e. the window in which a redelivery is recognised.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(7);
}

public sealed class SchedulerOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    public int BatchSize { get; set; } = 50;
}

/// <summary>
/// Chaos switches for recovery drills: the process kills itself (as SIGKILL would) at the N-th
/// consume commit, before or after the outbox delivery. Zero disables. Never set in production.
/// </summary>
public sealed class FaultInjectionOptions
{
    public int CrashAfterCommit { get; set; }

    public int CrashAfterPublish { get; set; }

    /// <summary>When set, only commits of this tenant's flow messages count, so a crash test can share a broker with other traffic.</summary>
    public string? Tenant { get; set; }
}
