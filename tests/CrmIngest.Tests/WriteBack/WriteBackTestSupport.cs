using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace QuoteToCash.CrmIngest.Tests.WriteBack;

/// <summary>Collects what a component logs, so a test can see which path it took (e.g. that a 429 was waited out).</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception)));
}

/// <summary>JSON calls to a sandbox with a bearer token; a 429 (the sandbox's limits are scaled down) is retried after a short pause.</summary>
public static class SandboxCalls
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? token = null, object? body = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            if (token is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (body is not null)
                request.Content = JsonContent.Create(body);
            using var response = await client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < 100)
            {
                await Task.Delay(250);
                continue;
            }
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
        }
    }

    public static async Task<JsonElement> OkAsync(HttpClient client, HttpMethod method, string path, string? token = null, object? body = null)
    {
        var (status, json) = await SendAsync(client, method, path, token, body);
        Assert.True((int)status is >= 200 and < 300, $"{method} {path} answered {(int)status}: {json}");
        return json;
    }
}
