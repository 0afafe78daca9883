using System.Collections.Concurrent;
using System.Diagnostics;

namespace QuoteToCash.ServiceDefaults.Tests.Telemetry;

/// <summary>Records every finished span of MassTransit and the platform's sources, as an exporter would receive them.</summary>
public sealed class SpanRecorder : IDisposable
{
    public static readonly ActivitySource TestSource = new("QuoteToCash.Tests.Trace");

    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _spans = new();

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "MassTransit" || source.Name.StartsWith("QuoteToCash", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) => _spans.Where(s => s.TraceId == traceId).ToList();

    public IReadOnlyList<Activity> Named(string name) => _spans.Where(s => s.OperationName == name).ToList();

    public void Dispose() => _listener.Dispose();
}
