using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;

/// <summary>A webhook POST as it arrived: raw body (the signature covers it) and headers.</summary>
public sealed record ReceivedWebhook(int Number, string Body, string? Signature, string? ContentType);

/// <summary>An HTTP endpoint on a free loopback port that records webhook POSTs and answers a scripted status.</summary>
public sealed class WebhookListener : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly WebApplication _app;
    private int _count;

    private WebhookListener(WebApplication app) => _app = app;

    /// <summary>Status for the n-th POST (1-based); 200 by default.</summary>
    public Func<int, int> Status { get; set; } = _ => 200;

    /// <summary>Awaited before answering, to hold a delivery open.</summary>
    public Task Gate { get; set; } = Task.CompletedTask;

    public string Url { get; private set; } = "";

    public IReadOnlyList<ReceivedWebhook> Received => _received.ToList();

    public static async Task<WebhookListener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var listener = new WebhookListener(app);
        app.MapPost("/webhooks/quickbooks", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var number = Interlocked.Increment(ref listener._count);
            listener._received.Enqueue(new ReceivedWebhook(number, body, context.Request.Headers["intuit-signature"].ToString(), context.Request.ContentType));
            await listener.Gate;
            return Results.StatusCode(listener.Status(number));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        listener.Url = address.TrimEnd('/') + "/webhooks/quickbooks";
        return listener;
    }

    /// <summary>Waits until <paramref name="count"/> POSTs have arrived (fails after 10 s).</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, Func<ReceivedWebhook, bool>? where = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var matching = Received.Where(where ?? (_ => true)).ToList();
            if (matching.Count >= count)
                return matching;
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"Expected {count} webhook POSTs, got {Received.Count}: {string.Join("\n", Received.Select(r => r.Body))}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
