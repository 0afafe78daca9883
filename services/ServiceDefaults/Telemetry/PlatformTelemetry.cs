using System.Diagnostics;

namespace QuoteToCash.ServiceDefaults.Telemetry;

/// <summary>
/// The platform's own spans, and how a stored record's trace is taken up again when the record is handled. Every
/// source is named <c>QuoteToCash.*</c>, which <see cref="Extensions.ConfigureOpenTelemetry"/> exports.
/// </summary>
public static class PlatformTelemetry
{
    /// <summary>Spans of the platform's hand-offs that are not messages: stored work queues, workers, the scheduler.</summary>
    public static readonly ActivitySource Source = new("QuoteToCash.Platform");

    /// <summary>Span attribute of the tenant a span works for.</summary>
    public const string TenantAttribute = "q2c.tenant";

    /// <summary>Span attribute of the quote-to-cash flow (one per deal) a span works for.</summary>
    public const string FlowAttribute = "q2c.flow_id";

    /// <summary>
    /// Starts a span that continues the trace the record was written in: its parent is the stored context, whatever is
    /// current now. Without a stored context (an older record, or one written outside any trace) it is a child of the
    /// current activity, or a new root.
    /// </summary>
    public static Activity? ContinueTrace(this StoredTraceContext? stored, string name, ActivityKind kind = ActivityKind.Internal, ActivitySource? source = null)
    {
        source ??= Source;
        if (stored is not null && stored.TryGetContext(out var parent))
        {
            // A link to what is current keeps the worker's own pass findable from the deal's trace and back.
            var links = Activity.Current is { } current && current.TraceId != parent.TraceId
                ? new[] { new ActivityLink(current.Context) }
                : null;
            return source.StartActivity(name, kind, parent, links: links);
        }
        return source.StartActivity(name, kind);
    }

    /// <summary>
    /// Starts a span for work that serves several records at once (a batch of invoices in one QuickBooks request). When
    /// they all come from one trace it continues that trace, as <see cref="ContinueTrace"/> does; otherwise it is
    /// <see cref="StartLinked"/>: a span has one parent, and no record's trace may claim the others' work.
    /// </summary>
    public static Activity? ContinueBatch(string name, IEnumerable<StoredTraceContext?> stored, ActivityKind kind = ActivityKind.Internal, ActivitySource? source = null)
    {
        var distinct = stored.Where(s => s is not null && s.TryGetContext(out _))
            .DistinctBy(s => s!.TryGetContext(out var context) ? context.TraceId : default).ToList();
        return distinct.Count == 1 ? distinct[0].ContinueTrace(name, kind, source) : StartLinked(name, distinct, kind, source);
    }

    /// <summary>
    /// Starts a span that is not parented on any stored context but links to each of them (one link per trace): for work
    /// that serves several traces, or that recurs and must not grow one trace forever. It is a child of the current
    /// activity if there is one (a worker or the scheduler has none: a new trace).
    /// </summary>
    public static Activity? StartLinked(string name, IEnumerable<StoredTraceContext?> stored, ActivityKind kind = ActivityKind.Internal, ActivitySource? source = null)
    {
        source ??= Source;
        var links = new List<ActivityLink>();
        var seen = new HashSet<ActivityTraceId>();
        foreach (var record in stored)
        {
            if (record is not null && record.TryGetContext(out var context) && seen.Add(context.TraceId))
                links.Add(new ActivityLink(context));
        }
        return source.StartActivity(name, kind, parentContext: default, links: links);
    }

    /// <summary>Marks the span (if any) with the tenant and flow it works for, so a deal's trace can be found by its flow ID.</summary>
    public static Activity? WithFlow(this Activity? activity, string? tenantId, Guid? flowId)
    {
        if (activity is null)
            return null;
        if (!string.IsNullOrEmpty(tenantId))
            activity.SetTag(TenantAttribute, tenantId);
        if (flowId is { } flow && flow != Guid.Empty)
            activity.SetTag(FlowAttribute, flow.ToString("D"));
        return activity;
    }
}
