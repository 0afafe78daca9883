using System.Diagnostics;
using QuoteToCash.ServiceDefaults.Telemetry;

namespace QuoteToCash.ServiceDefaults.Tests.Telemetry;

/// <summary>
/// How a worker takes up stored records' traces: one record's work continues its trace; a batch of several deals links to
/// each (or continues the one trace they share), and each record's outcome inside the batch continues its own deal's
/// trace, linked back to the batch.
/// </summary>
public sealed class StoredTraceContextTests : IDisposable
{
    private readonly SpanRecorder _spans = new();

    private static StoredTraceContext WrittenInADealsTrace(out ActivityTraceId traceId)
    {
        Activity.Current = null;
        using var deal = SpanRecorder.TestSource.StartActivity("PostInvoice process", ActivityKind.Consumer)!;
        traceId = deal.TraceId;
        return StoredTraceContext.Capture()!;
    }

    [Fact]
    public void A_stored_context_round_trips_as_traceparent_and_tracestate()
    {
        Activity.Current = null;
        using var activity = SpanRecorder.TestSource.StartActivity("webhook")!;
        activity.TraceStateString = "q2c=1";

        var stored = StoredTraceContext.Capture()!;

        Assert.Equal($"00-{activity.TraceId}-{activity.SpanId}-01", stored.TraceParent);
        Assert.Equal("q2c=1", stored.TraceState);
        Assert.True(stored.TryGetContext(out var context));
        Assert.Equal(activity.TraceId, context.TraceId);
        Assert.False(new StoredTraceContext { TraceParent = "not a traceparent" }.TryGetContext(out _));
    }

    [Fact]
    public void A_records_work_continues_its_trace_whatever_is_current_and_a_batch_links_every_deal_it_serves()
    {
        var first = WrittenInADealsTrace(out var firstTrace);
        var second = WrittenInADealsTrace(out var secondTrace);
        Activity.Current = null;

        using (var batch = PlatformTelemetry.ContinueBatch("post invoice batch", [first, second, first]))
        {
            Assert.NotNull(batch);
            Assert.NotEqual(firstTrace, batch.TraceId);
            Assert.NotEqual(secondTrace, batch.TraceId);
            Assert.Equal([firstTrace, secondTrace], batch.Links.Select(l => l.Context.TraceId));

            foreach (var (stored, trace) in new[] { (first, firstTrace), (second, secondTrace) })
            {
                using var outcome = stored.ContinueTrace("record posting outcome");
                Assert.NotNull(outcome);
                Assert.Equal(trace, outcome.TraceId);
                Assert.Equal(stored.TraceParent.Split('-')[2], outcome.ParentSpanId.ToHexString()); // the writer's span is its parent
                // Linked to the batch, even for the second record: the first outcome's end gave the batch back as current.
                Assert.Contains(outcome.Links, l => l.Context.TraceId == batch.TraceId);
                // What the outcome publishes is stored with the deal's own trace.
                Assert.Equal(trace, StoredTraceContext.Capture()!.TryGetContext(out var published) ? published.TraceId : default);
            }
            Assert.Same(batch, Activity.Current);
        }
    }

    [Fact]
    public void A_batch_whose_records_all_come_from_one_trace_continues_it()
    {
        var first = WrittenInADealsTrace(out var traceId);
        Activity.Current = null;
        using var sameDeal = SpanRecorder.TestSource.StartActivity("InvoicePosted", ActivityKind.Internal, first.TryGetContext(out var context) ? context : default)!;
        var second = StoredTraceContext.Capture();
        Activity.Current = null;

        using var batch = PlatformTelemetry.ContinueBatch("post invoice batch", [first, second, null]);

        Assert.NotNull(batch);
        Assert.Equal(traceId, batch.TraceId);
    }

    [Fact]
    public void Without_a_stored_context_the_work_is_a_child_of_whatever_is_current()
    {
        Activity.Current = null;
        using var pass = SpanRecorder.TestSource.StartActivity("worker pass")!;
        using var work = ((StoredTraceContext?)null).ContinueTrace("post invoice");
        Assert.NotNull(work);
        Assert.Equal(pass.TraceId, work.TraceId);
    }

    public void Dispose() => _spans.Dispose();
}
