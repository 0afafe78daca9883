using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using static QuoteToCash.Testing.Telemetry.ProtoWire;

namespace QuoteToCash.Testing.Telemetry;

/// <summary>A span as an OTLP exporter sent it: the service that made it and what the trace test looks at.</summary>
public sealed record ReceivedSpan(
    string Service, string Scope, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind,
    IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<string> LinkedTraceIds)
{
    /// <summary>How long the span took (end − start), zero when the exporter sent no times.</summary>
    public TimeSpan Duration { get; init; }

    public string Attribute(string key) => Attributes.TryGetValue(key, out var value) ? value : "";

    /// <summary>OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer.</summary>
    public const int Server = 2, Client = 3, Producer = 4, Consumer = 5;
}

/// <summary>A log record as an OTLP exporter sent it: service, trace, text and attributes (logging-scope fields included).</summary>
public sealed record ReceivedLog(string Service, string TraceId, string Body, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// An OTLP/HTTP (protobuf) receiver on a free loopback port, standing in for the OpenTelemetry collector: processes
/// started with <see cref="ExporterEnvironment"/> send it their spans, metrics and logs, which tests then inspect.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly ConcurrentQueue<ReceivedLog> _logs = new();
    private readonly ConcurrentDictionary<(string Service, string Metric), bool> _metrics = new();
    private readonly ConcurrentDictionary<(string Service, string Metric, string Series), (IReadOnlyDictionary<string, string> Attributes, double Value)> _sums = new();
    private WebApplication? _app;

    public string Endpoint { get; private set; } = "";

    public IReadOnlyList<ReceivedSpan> Spans => _spans.ToArray();

    public IReadOnlyList<ReceivedLog> Logs => _logs.ToArray();

    /// <summary>Every (service, metric name) pair exported so far.</summary>
    public IReadOnlyCollection<(string Service, string Metric)> Metrics => _metrics.Keys.ToList();

    /// <summary>Every series of a counter across the services: service, attributes and latest cumulative value.</summary>
    public IReadOnlyList<(string Service, IReadOnlyDictionary<string, string> Attributes, double Value)> CounterSeries(string metric) =>
        _sums.Where(s => s.Key.Metric == metric).Select(s => (s.Key.Service, s.Value.Attributes, s.Value.Value)).ToList();

    public IReadOnlyList<ReceivedSpan> Trace(string traceId) => _spans.Where(s => s.TraceId == traceId).ToList();

    /// <summary>The environment that points a platform process's OTLP exporter here, with short export intervals.</summary>
    public IReadOnlyDictionary<string, string> ExporterEnvironment => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        ["Telemetry__SampleInterval"] = "00:00:01",
    };

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/traces", context => receiver.ReceiveAsync(context, receiver.ReadTraces));
        app.MapPost("/v1/metrics", context => receiver.ReceiveAsync(context, receiver.ReadMetrics));
        app.MapPost("/v1/logs", context => receiver.ReceiveAsync(context, receiver.ReadLogs));
        await app.StartAsync();
        receiver._app = app;
        receiver.Endpoint = app.Urls.First().TrimEnd('/');
        return receiver;
    }

    private async Task ReceiveAsync(HttpContext context, Action<ReadOnlyMemory<byte>> read)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        read(buffer.ToArray());
        context.Response.ContentType = "application/x-protobuf";
        context.Response.StatusCode = StatusCodes.Status200OK; // an empty Export…ServiceResponse: everything accepted
    }

    // ExportTraceServiceRequest.resource_spans(1) → ResourceSpans { resource(1), scope_spans(2) } → ScopeSpans { scope(1), spans(2) }
    private void ReadTraces(ReadOnlyMemory<byte> request)
    {
        foreach (var resourceSpans in Fields(request).Where(f => f.Number == 1))
        {
            var service = ServiceName(resourceSpans.Bytes);
            foreach (var scopeSpans in Fields(resourceSpans.Bytes).Where(f => f.Number == 2))
            {
                var scope = "";
                foreach (var field in Fields(scopeSpans.Bytes))
                {
                    if (field.Number == 1)
                        scope = Fields(field.Bytes).FirstOrDefault(f => f.Number == 1).Text ?? "";
                    else if (field.Number == 2)
                        _spans.Enqueue(ReadSpan(service, scope, field.Bytes));
                }
            }
        }
    }

    // Span: trace_id 1, span_id 2, parent_span_id 4, name 5, kind 6, start 7 and end 8 (fixed64 ns), attributes 9, links 13 (Link: trace_id 1)
    private static ReceivedSpan ReadSpan(string service, string scope, ReadOnlyMemory<byte> span)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var kind = 0;
        ulong start = 0, end = 0;
        var attributes = new Dictionary<string, string>();
        var links = new List<string>();
        foreach (var field in Fields(span))
        {
            switch (field.Number)
            {
                case 1: traceId = field.Hex; break;
                case 2: spanId = field.Hex; break;
                case 4: parent = field.Hex; break;
                case 5: name = field.Text; break;
                case 6: kind = (int)field.Integer; break;
                case 7: start = field.Integer; break;
                case 8: end = field.Integer; break;
                case 9: AddAttribute(attributes, field.Bytes); break;
                case 13: links.Add(Fields(field.Bytes).FirstOrDefault(f => f.Number == 1).Hex ?? ""); break;
            }
        }
        return new ReceivedSpan(service, scope, traceId, spanId, parent, name, kind, attributes, links)
        {
            Duration = end > start ? TimeSpan.FromTicks((long)((end - start) / 100)) : TimeSpan.Zero,
        };
    }

    // ExportMetricsServiceRequest.resource_metrics(1) → { resource(1), scope_metrics(2) } → { metrics(2) } → Metric { name(1) }
    private void ReadMetrics(ReadOnlyMemory<byte> request)
    {
        foreach (var resourceMetrics in Fields(request).Where(f => f.Number == 1))
        {
            var service = ServiceName(resourceMetrics.Bytes);
            foreach (var scopeMetrics in Fields(resourceMetrics.Bytes).Where(f => f.Number == 2))
            {
                foreach (var metric in Fields(scopeMetrics.Bytes).Where(f => f.Number == 2))
                {
                    var name = Fields(metric.Bytes).First(f => f.Number == 1).Text;
                    _metrics.TryAdd((service, name), true);
                    // Metric.sum(7) → Sum { data_points 1 } → NumberDataPoint { as_double 4 (fixed64), as_int 6 (sfixed64), attributes 7 }.
                    // The exporter's temporality is cumulative, so the latest point of a series is its total.
                    foreach (var sum in Fields(metric.Bytes).Where(f => f.Number == 7))
                    {
                        foreach (var point in Fields(sum.Bytes).Where(f => f.Number == 1))
                        {
                            var attributes = new Dictionary<string, string>();
                            double value = 0;
                            foreach (var field in Fields(point.Bytes))
                            {
                                if (field.Number == 7)
                                    AddAttribute(attributes, field.Bytes);
                                else if (field.Number == 6)
                                    value = (long)field.Integer;
                                else if (field.Number == 4)
                                    value = BitConverter.UInt64BitsToDouble(field.Integer);
                            }
                            var series = string.Join(';', attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + "=" + a.Value));
                            _sums[(service, name, series)] = (attributes, value);
                        }
                    }
                }
            }
        }
    }

    // ExportLogsServiceRequest.resource_logs(1) → { resource(1), scope_logs(2) } → { log_records(2) } → LogRecord { body 5, attributes 6, trace_id 9 }
    private void ReadLogs(ReadOnlyMemory<byte> request)
    {
        foreach (var resourceLogs in Fields(request).Where(f => f.Number == 1))
        {
            var service = ServiceName(resourceLogs.Bytes);
            foreach (var scopeLogs in Fields(resourceLogs.Bytes).Where(f => f.Number == 2))
            {
                foreach (var record in Fields(scopeLogs.Bytes).Where(f => f.Number == 2))
                {
                    string traceId = "", body = "";
                    var attributes = new Dictionary<string, string>();
                    foreach (var field in Fields(record.Bytes))
                    {
                        switch (field.Number)
                        {
                            case 5: body = AnyValue(field.Bytes); break;
                            case 6: AddAttribute(attributes, field.Bytes); break;
                            case 9: traceId = field.Hex; break;
                        }
                    }
                    _logs.Enqueue(new ReceivedLog(service, traceId, body, attributes));
                }
            }
        }
    }

    // ResourceX.resource(1) → Resource { attributes(1) } → service.name
    private static string ServiceName(ReadOnlyMemory<byte> resourceX)
    {
        var attributes = new Dictionary<string, string>();
        foreach (var resource in Fields(resourceX).Where(f => f.Number == 1))
        {
            foreach (var attribute in Fields(resource.Bytes).Where(f => f.Number == 1))
                AddAttribute(attributes, attribute.Bytes);
        }
        return attributes.GetValueOrDefault("service.name", "");
    }

    // KeyValue { key 1, value 2 (AnyValue) }
    private static void AddAttribute(Dictionary<string, string> attributes, ReadOnlyMemory<byte> keyValue)
    {
        string key = "", value = "";
        foreach (var field in Fields(keyValue))
        {
            if (field.Number == 1)
                key = field.Text;
            else if (field.Number == 2)
                value = AnyValue(field.Bytes);
        }
        attributes[key] = value;
    }

    // AnyValue { string 1, bool 2, int 3, double 4, … }: the scalar as text; arrays and maps are not needed here.
    private static string AnyValue(ReadOnlyMemory<byte> anyValue)
    {
        foreach (var field in Fields(anyValue))
        {
            return field.Number switch
            {
                1 => field.Text,
                2 => (field.Integer != 0).ToString(),
                3 => ((long)field.Integer).ToString(System.Globalization.CultureInfo.InvariantCulture),
                4 => BitConverter.UInt64BitsToDouble(field.Integer).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => "",
            };
        }
        return "";
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }
}
