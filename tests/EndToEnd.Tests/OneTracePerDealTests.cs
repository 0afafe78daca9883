using QuoteToCash.Contracts;
using QuoteToCash.EndToEnd.Tests.Acceptance;
using QuoteToCash.EndToEnd.Tests.Infrastructure;
using QuoteToCash.Testing.Platform;
using QuoteToCash.Testing.Telemetry;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.EndToEnd.Tests;

/// <summary>
/// OPS-1: a deal's whole journey is one trace. Every process exports to an OTLP receiver in the test; a deal won in
/// HubSpot must show, under the trace ID of the gateway's webhook span, each service's part — crm-ingest's intake (which
/// hands the event over through its outbox), billing-rules' saga, master-data's customer, accounting-sync's QuickBooks
/// call (made by the posting worker from its stored queue) and crm-ingest's write-back to the HubSpot deal. A hop that
/// dropped the context would start a new trace, and its spans would be missing here.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OneTracePerDealTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_deal_won_in_hubspot_is_one_trace_from_the_webhook_through_every_service_to_the_quickbooks_call_and_the_write_back()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = await PlatformTenant.CreateAsync(platform.Endpoints(), Acceptance.Acceptance.NewTenant("trace"), TenantCrm.HubSpot);
        var hubspot = tenant.HubSpot!;
        var consulting = tenant.Products.Single(p => p.Sku == "CONSULT-HOUR");
        var company = await hubspot.CreateCompanyAsync("Tracewell Ltd");
        var dealId = await hubspot.DealAsync(company, "ap@tracewell.test", "Tracewell audit", [(consulting, 3m)]);
        var flowId = FlowId.For(tenant.Id, "hubspot", dealId).ToString("D");

        var invoice = await Acceptance.Acceptance.SingleInvoiceAsync(tenant, "hubspot", dealId);
        await Acceptance.Acceptance.HubSpotEventuallyAsync(hubspot, "deals", dealId, ["q2c_invoice_number"],
            p => p.Text("q2c_invoice_number") == invoice.GetProperty("DocNumber").GetString(), "the invoice number never reached the HubSpot deal");

        // The deal's trace: the one billing-rules' saga consumed DealWon in (its span carries the flow ID).
        var telemetry = platform.Telemetry;
        string? traceId = null;
        Assert.True(await Eventually(() =>
        {
            traceId = telemetry.Spans.FirstOrDefault(s => s.Service == "billing-rules" && s.Attribute("q2c.flow_id") == flowId
                && s.Attribute("messaging.masstransit.message_types").Contains("DealWon", StringComparison.Ordinal))?.TraceId;
            return traceId is not null;
        }, TimeSpan.FromSeconds(15)), "billing-rules exported no span of the deal's DealWon");

        // Spans are exported in batches as they end: wait until the write-back's own call has arrived.
        IReadOnlyList<ReceivedSpan> trace = [];
        bool Has(string service, Func<ReceivedSpan, bool> what) => trace.Any(s => s.Service == service && what(s));
        bool WriteBack(ReceivedSpan s) => s.Kind == ReceivedSpan.Client && s.Attribute("http.request.method") == "PATCH"
            && s.Attribute("url.full").Contains($"/crm/v3/objects/deals/{dealId}", StringComparison.Ordinal);
        var written = await Eventually(() =>
        {
            trace = telemetry.Trace(traceId!);
            return Has("crm-ingest", WriteBack);
        }, TimeSpan.FromSeconds(15));
        Assert.True(written, $"The deal's trace {traceId} has no write-back to the HubSpot deal; it has: " + Describe(trace));

        // It starts at the gateway, with the CRM's webhook: the only span without a parent in the trace.
        var root = Assert.Single(trace, s => s.ParentSpanId.Length == 0 || s.ParentSpanId.All(c => c == '0'));
        Assert.Equal("gateway", root.Service);
        Assert.Equal(ReceivedSpan.Server, root.Kind);
        Assert.Contains($"/webhooks/hubspot/", root.Attribute("url.path") + root.Name, StringComparison.Ordinal);

        Assert.True(Has("crm-ingest", s => s.Kind == ReceivedSpan.Server && s.Attribute("url.path").StartsWith("/webhooks/hubspot/", StringComparison.Ordinal)),
            "crm-ingest's webhook intake is not in the deal's trace: " + Describe(trace));
        Assert.True(Has("crm-ingest", s => s.Name == "outbox deliver"), "crm-ingest's outbox hand-off is not in the deal's trace: " + Describe(trace));
        Assert.True(Has("master-data", s => s.Kind == ReceivedSpan.Consumer), "master-data is not in the deal's trace: " + Describe(trace));
        Assert.True(Has("billing-rules", s => s.Kind == ReceivedSpan.Consumer), "billing-rules is not in the deal's trace: " + Describe(trace));
        Assert.True(Has("accounting-sync", s => s.Name == "post invoice"), "accounting-sync's posting worker is not in the deal's trace: " + Describe(trace));
        Assert.True(Has("accounting-sync", s => s.Name.StartsWith("QuickBooks POST", StringComparison.Ordinal) && s.Name.Contains("invoice", StringComparison.OrdinalIgnoreCase)),
            "the QuickBooks call that created the invoice is not in the deal's trace: " + Describe(trace));
        Assert.True(Has("crm-ingest", WriteBack), "the write-back to the HubSpot deal is not in the deal's trace: " + Describe(trace));

        // The flow's logs carry its tenant and flow as structured fields, in the same trace.
        Assert.True(await Eventually(() => telemetry.Logs.Any(l => l.TraceId == traceId && l.Attributes.GetValueOrDefault("FlowId") == flowId
            && l.Attributes.GetValueOrDefault("TenantId") == tenant.Id), TimeSpan.FromSeconds(10)), "no log line of the deal's trace carries its tenant and flow");

        // The platform's metrics reach the collector too, the sampled gauges included.
        (string Service, string Metric)[] expected =
        [
            ("billing-rules", "q2c.invoices.posted"), ("billing-rules", "q2c.flow.won_to_posted"),
            ("accounting-sync", "q2c.exceptions.open"), ("accounting-sync", "q2c.qbo.rate_headroom"),
            ("crm-ingest", "q2c.outbox.backlog"), ("crm-ingest", "q2c.rabbitmq.queue.messages"),
        ];
        await Eventually(() => expected.All(telemetry.Metrics.Contains), TimeSpan.FromSeconds(15));
        Assert.Empty(expected.Except(telemetry.Metrics));
    }

    private static string Describe(IEnumerable<ReceivedSpan> spans) =>
        string.Join("; ", spans.GroupBy(s => s.Service).Select(g => g.Key + ": " + string.Join(", ", g.Select(s => s.Name).Distinct().Take(12))));
}
