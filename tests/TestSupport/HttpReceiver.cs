using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace QuoteToCash.Testing;

/// <summary>One request as the receiver got it, raw body included (signatures are computed over it).</summary>
public sealed record ReceivedRequest(int Index, string Method, string Url, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body)!;

    public XDocument Xml => XDocument.Parse(Body);

    /// <summary>The header's value, or "" when the request did not have it.</summary>
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
}

/// <summary>
/// A real HTTP endpoint on a free loopback port, standing in for the platform's webhook intake: it records every
/// request and answers with a scripted status and body.
/// </summary>
public sealed class HttpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly string _path;
    private WebApplication? _app;
    private int _count;

    private HttpReceiver(string path) => _path = path;

    /// <summary>The status and body for the n-th request (0-based); 200 without a body unless a test says otherwise.</summary>
    public Func<int, (int Status, string? Body)> Respond { get; set; } = _ => (200, null);

    /// <summary>Awaited before answering, to hold a delivery open.</summary>
    public Task Gate { get; set; } = Task.CompletedTask;

    public string BaseAddress { get; private set; } = "";

    /// <summary>The address to register as the webhook target (any path reaches the receiver).</summary>
    public string Url => BaseAddress + _path;

    public IReadOnlyList<ReceivedRequest> Requests => _requests.ToArray();

    /// <param name="path">The path of <see cref="Url"/>, as the platform's intake would have it.</param>
    /// <param name="respond">The first <see cref="Respond"/>.</param>
    public static async Task<HttpReceiver> StartAsync(string path = "/", Func<int, (int Status, string? Body)>? respond = null)
    {
        var receiver = new HttpReceiver(path);
        if (respond is not null)
            receiver.Respond = respond;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(receiver.ReceiveAsync);
        await app.StartAsync();
        receiver._app = app;
        receiver.BaseAddress = app.Urls.First().TrimEnd('/');
        return receiver;
    }

    /// <summary>Polls until the condition holds over the requests so far; fails the test, naming <paramref name="what"/>, when it does not.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(Func<IReadOnlyList<ReceivedRequest>, bool> condition, string what, TimeSpan? timeout = null)
    {
        IReadOnlyList<ReceivedRequest> snapshot = [];
        if (!await Polling.Eventually(() => condition(snapshot = Requests), timeout ?? TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(25)))
            Assert.Fail($"Timed out waiting for {what}; received {Requests.Count} requests: {string.Join(" | ", Requests.Select(r => r.Body))}");
        return snapshot;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests have arrived.</summary>
    public Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(int count) => WaitForAsync(r => r.Count >= count, $"{count} requests");

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var index = Interlocked.Increment(ref _count) - 1;
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new ReceivedRequest(index, context.Request.Method,
            $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}{context.Request.QueryString}", headers, body));
        await Gate;
        var (status, reply) = Respond(index);
        context.Response.StatusCode = status;
        if (reply is not null)
        {
            context.Response.ContentType = reply.StartsWith('<') ? "text/xml; charset=utf-8" : "application/json";
            await context.Response.WriteAsync(reply);
        }
    }
}
