using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace QuoteToCash.Sandbox.Salesforce.Tests.Infrastructure;

/// <summary>One webhook POST as the receiver got it, raw body included (signatures are computed over it).</summary>
public sealed record ReceivedRequest(int Index, string Method, string Url, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body)!;

    public System.Xml.Linq.XDocument Xml => System.Xml.Linq.XDocument.Parse(Body);

    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
}

/// <summary>A real HTTP endpoint on a loopback port that records webhook requests and answers with a scripted status.</summary>
public sealed class HttpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private WebApplication? _app;
    private int _count;

    /// <summary>The status and body for the n-th request (0-based); a SOAP Ack unless a test says otherwise.</summary>
    public Func<int, (int Status, string? Body)> Respond { get; set; } = _ => (200, Ack(true));

    public static string Ack(bool value) =>
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
        + $"<notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\"><Ack>{(value ? "true" : "false")}</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>";

    public string BaseAddress { get; private set; } = "";

    public string Url => BaseAddress + "/webhooks/salesforce/demo-sf";

    public IReadOnlyList<ReceivedRequest> Requests => _requests.ToArray();

    public static async Task<HttpReceiver> StartAsync()
    {
        var receiver = new HttpReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var index = Interlocked.Increment(ref receiver._count) - 1;
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            receiver._requests.Enqueue(new ReceivedRequest(index, context.Request.Method,
                $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}{context.Request.QueryString}", headers, body));
            var (status, reply) = receiver.Respond(index);
            context.Response.StatusCode = status;
            if (reply is not null)
            {
                context.Response.ContentType = reply.StartsWith('<') ? "text/xml; charset=utf-8" : "application/json";
                await context.Response.WriteAsync(reply);
            }
        });
        await app.StartAsync();
        receiver._app = app;
        receiver.BaseAddress = app.Urls.First().TrimEnd('/');
        return receiver;
    }

    /// <summary>Polls until the condition holds over the requests so far.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(Func<IReadOnlyList<ReceivedRequest>, bool> condition, string what, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            var snapshot = Requests;
            if (condition(snapshot))
                return snapshot;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        Assert.Fail($"Timed out waiting for {what}; received {Requests.Count} requests: {string.Join(" | ", Requests.Select(r => r.Body))}");
        return [];
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
