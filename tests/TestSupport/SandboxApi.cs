using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace QuoteToCash.Testing;

/// <summary>A sandbox's answer as a test sees it: status, headers and the body, parsed when it is JSON.</summary>
public sealed record SandboxResponse(HttpStatusCode Status, HttpResponseHeaders Headers, JsonNode? Json, string Text)
{
    public JsonNode Body => Json ?? throw new InvalidOperationException($"No JSON body ({(int)Status}): {Text}");

    public SandboxResponse Expect(HttpStatusCode status)
    {
        Assert.True(Status == status, $"Expected {(int)status}, got {(int)Status}: {Text}");
        return this;
    }

    public string Header(string name) => Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}

/// <summary>Thin HTTP helper over a sandbox: JSON bodies (an object, or a string sent as it is) and bearer tokens.</summary>
public class SandboxApi(HttpClient http)
{
    public HttpClient Http { get; } = http;

    /// <param name="content">Sent instead of <paramref name="body"/>, e.g. a form.</param>
    public async Task<SandboxResponse> SendAsync(HttpMethod method, string path, object? body = null, string? token = null, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (content is not null)
            request.Content = content;
        else if (body is not null)
            request.Content = body is string raw ? new StringContent(raw, Encoding.UTF8, "application/json") : JsonContent.Create(body);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json")
            json = JsonNode.Parse(text);
        return new SandboxResponse(response.StatusCode, response.Headers, json, text);
    }

    public Task<SandboxResponse> GetAsync(string path, string? token = null) => SendAsync(HttpMethod.Get, path, null, token);

    public Task<SandboxResponse> PostAsync(string path, object? body, string? token = null) => SendAsync(HttpMethod.Post, path, body, token);

    public Task<SandboxResponse> PatchAsync(string path, object? body, string? token = null) => SendAsync(HttpMethod.Patch, path, body, token);

    public Task<SandboxResponse> PutAsync(string path, object? body, string? token = null) => SendAsync(HttpMethod.Put, path, body, token);

    public Task<SandboxResponse> DeleteAsync(string path, string? token = null) => SendAsync(HttpMethod.Delete, path, null, token);
}
