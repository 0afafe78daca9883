using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using QuoteToCash.ServiceDefaults.Telemetry;

namespace QuoteToCash.ServiceDefaults.Tests.Telemetry;

/// <summary>Invoices posted count per tenant; the won-to-posted latency is measured on a flow's first invoice only.</summary>
public sealed class FlowMetricsTests
{
    [Fact]
    public void Each_posted_invoice_counts_for_its_tenant_and_only_the_first_of_a_flow_measures_the_time_since_the_win()
    {
        var tenant = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        var posted = new ConcurrentBag<string>();
        var latencies = new ConcurrentBag<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FlowMetrics.MeterName)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (instrument.Name == "q2c.invoices.posted" && tag.Key == "tenant" && (string?)tag.Value == tenant)
                    posted.Add(tenant);
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == "q2c.flow.won_to_posted" && value > 1_000_000) // this test's win is years back; others' are seconds
                latencies.Add(value);
        });
        listener.Start();

        var won = new DateTime(2020, 3, 2, 9, 0, 0, DateTimeKind.Utc);
        var postedAt = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(2)); // 07:00 UTC
        FlowMetrics.InvoicePosted(tenant, postedAt, won);
        FlowMetrics.InvoicePosted(tenant, postedAt.AddMonths(1), null); // the flow's second invoice

        Assert.Equal(2, posted.Count);
        var latency = Assert.Single(latencies);
        Assert.Equal((postedAt.UtcDateTime - won).TotalSeconds, latency);
    }
}
