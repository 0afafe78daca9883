using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace QuoteToCash.Testing.Platform;

/// <summary>An HTTP answer as a driver sees it: status, the body's text, and the body parsed when it is JSON.</summary>
public sealed record JsonAnswer(HttpStatusCode Status, string Text)
{
    public bool Ok => (int)Status is >= 200 and < 300;

    public JsonElement Json => Text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(Text);

    /// <summary>The body, or an exception naming the call and what came back when the status is not a success.</summary>
    public JsonElement Success(string what) => Ok ? Json : throw new HttpRequestException($"{what}: {(int)Status} {Text}", null, Status);
}

/// <summary>JSON over HTTP with a bearer token: what the drivers of the gateway and the sandboxes share.</summary>
public static class JsonHttp
{
    public static async Task<JsonAnswer> SendAsync(HttpClient http, HttpMethod method, string path, object? body = null, string? token = null,
        CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = body is string raw ? new StringContent(raw, Encoding.UTF8, "application/json") : JsonContent.Create(body);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, cancellationToken);
        return new JsonAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Sends and returns the body; any status other than a success throws with the answer.</summary>
    public static async Task<JsonElement> CallAsync(HttpClient http, HttpMethod method, string path, object? body = null, string? token = null,
        CancellationToken cancellationToken = default) =>
        (await SendAsync(http, method, path, body, token, cancellationToken)).Success($"{method} {path}");
}
