using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;

namespace QuoteToCash.WebApp.Gateway;

/// <summary>The signed-in user's session ended at the gateway (401): the page signs them out and asks them to sign in again.</summary>
public sealed class SessionExpiredException() : Exception("The operator token was refused; sign in again.");

/// <summary>
/// Calls the services' public APIs through the gateway with the signed-in user's operator token, exactly as any other
/// client of the platform would. Never throws for a failing service: the result says which service and why.
/// </summary>
public sealed class GatewayClient(HttpClient http, IHttpContextAccessor context, ILogger<GatewayClient> logger)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Get, path, null, cancellationToken);

    public Task<ApiResult<T>> PostAsync<T>(string path, object? body, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Post, path, body ?? new { }, cancellationToken);

    public Task<ApiResult<T>> PutAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Put, path, body, cancellationToken);

    public Task<ApiResult<T>> PatchAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Patch, path, body, cancellationToken);

    /// <summary>A CSV export as the service renders it (<c>Accept: text/csv</c>).</summary>
    public async Task<ApiResult<string>> GetCsvAsync(string path, CancellationToken cancellationToken)
    {
        var service = ServiceNames.For(path);
        try
        {
            using var request = await RequestAsync(HttpMethod.Get, path, null);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
                throw new SessionExpiredException();
            if (!response.IsSuccessStatusCode)
                return new ApiResult<string>(null, response.StatusCode, await ProblemAsync(response, cancellationToken), service);
            return new ApiResult<string>(await response.Content.ReadAsStringAsync(cancellationToken), response.StatusCode, ApiProblem.None, service);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "GET {Path} through the gateway failed", path);
            return new ApiResult<string>(null, null, ApiProblem.None, service);
        }
    }

    public async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        var service = ServiceNames.For(path);
        try
        {
            using var request = await RequestAsync(method, path, body);
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
                throw new SessionExpiredException();
            if (!response.IsSuccessStatusCode)
                return new ApiResult<T>(default, response.StatusCode, await ProblemAsync(response, cancellationToken), service);
            T? value;
            try
            {
                value = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
            }
            catch (JsonException exception)
            {
                logger.LogWarning(exception, "{Method} {Path}: the answer is not the expected shape", method, path);
                return new ApiResult<T>(default, HttpStatusCode.BadGateway,
                    ApiProblem.None with { Detail = $"{service} answered in a shape this version of the web app does not read." }, service);
            }
            return new ApiResult<T>(value, response.StatusCode, ApiProblem.None, service);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "{Method} {Path} through the gateway failed", method, path);
            return new ApiResult<T>(default, null, ApiProblem.None, service);
        }
    }

    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path, object? body)
    {
        var request = new HttpRequestMessage(method, path);
        var token = context.HttpContext is { } http1 ? await http1.GetTokenAsync("access_token") : null;
        if (!string.IsNullOrEmpty(token))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        return request;
    }

    /// <summary>Reads a problem+json body; a body that is not one still gives its first line as the detail.</summary>
    public static async Task<ApiProblem> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
            return ApiProblem.None;
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return ApiProblem.None;
            var errors = new Dictionary<string, string[]>();
            if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in e.EnumerateObject())
                {
                    errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                        ? field.Value.EnumerateArray().Select(m => m.ToString()).ToArray()
                        : [field.Value.ToString()];
                }
            }
            return new ApiProblem(Text(root, "title"), Text(root, "detail"), errors);
        }
        catch (JsonException)
        {
            var firstLine = text.Split('\n', 2)[0].Trim();
            return ApiProblem.None with { Detail = firstLine.Length > 300 ? firstLine[..300] : firstLine };
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
