using System.Diagnostics;

namespace QuoteToCash.ServiceDefaults.Telemetry;

/// <summary>
/// The W3C trace context (<c>traceparent</c>, <c>tracestate</c>) of the moment a record was written, kept on the record
/// itself so that whoever handles it later (a background worker, the outbox dispatcher, the scheduler, another replica
/// after a restart) continues the same trace instead of starting a new one.
/// </summary>
/// <remarks>
/// Stored as plain strings, so both document stores keep it without a mapping and an older record without one simply
/// starts a new trace. Baggage is not kept: nothing in the platform reads it.
/// </remarks>
public sealed class StoredTraceContext
{
    /// <summary>The <c>traceparent</c> value: version, trace ID, the writer's span ID and flags.</summary>
    public string TraceParent { get; set; } = string.Empty;

    /// <summary>The <c>tracestate</c> value, if the trace carries one.</summary>
    public string? TraceState { get; set; }

    /// <summary>The trace context of the current activity, or null when there is none (nothing is being traced).</summary>
    public static StoredTraceContext? Capture() => From(Activity.Current);

    /// <summary>The activity's context as a storable value, or null for no activity or one not in W3C format.</summary>
    public static StoredTraceContext? From(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C, Id: { } id }
            ? new StoredTraceContext { TraceParent = id, TraceState = activity.TraceStateString }
            : null;

    /// <summary>The context to parent or link a span to; false when the stored value is missing or malformed.</summary>
    public bool TryGetContext(out ActivityContext context) =>
        ActivityContext.TryParse(TraceParent, TraceState, isRemote: true, out context);
}
