using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace QuoteToCash.DemoHistory.Infrastructure;

/// <summary>An HTTP answer: status, text, and the text as JSON.</summary>
public sealed record ApiAnswer(HttpStatusCode Status, string Text)
{
    public bool Ok => (int)Status is >= 200 and < 300;

    public JsonElement Json => Text.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(Text);

    public JsonElement Success(string what) => Ok ? Json : throw new HttpRequestException($"{what}: {(int)Status} {Text[..Math.Min(Text.Length, 600)]}", null, Status);
}

/// <summary>
/// JSON over HTTP with a bearer token, as the vendors' clients and the platform's operators call: a throttled call
/// (429) or a server error is waited out and sent again, a bounded number of times.
/// </summary>
public sealed class JsonApi(HttpClient http, Func<CancellationToken, Task<string?>> token)
{
    public HttpClient Http { get; } = http;

    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
                request.Content = body is string raw ? new StringContent(raw, Encoding.UTF8, "application/json") : JsonContent.Create(body);
            if (await token(cancellationToken) is { } bearer)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            ApiAnswer answer;
            try
            {
                using var response = await Http.SendAsync(request, cancellationToken);
                answer = new ApiAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
            }
            catch (HttpRequestException) when (attempt < 20)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                continue;
            }
            if ((answer.Status == HttpStatusCode.TooManyRequests || (int)answer.Status >= 500) && attempt < 20)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, attempt)), cancellationToken);
                continue;
            }
            return answer;
        }
    }

    public async Task<JsonElement> CallAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken) =>
        (await SendAsync(method, path, body, cancellationToken)).Success($"{method} {Http.BaseAddress}{path}");
}
