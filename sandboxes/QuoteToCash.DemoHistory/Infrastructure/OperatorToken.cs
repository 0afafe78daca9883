using System.Net.Http.Json;
using System.Text.Json;

namespace QuoteToCash.DemoHistory.Infrastructure;

/// <summary>The operator's token from the gateway's local issuer (<c>POST /auth/token</c>), as run.sh gets it.</summary>
public static class OperatorToken
{
    public static async Task<string> SignInAsync(HttpClient gateway, string username, string password, CancellationToken cancellationToken)
    {
        using var response = await gateway.PostAsJsonAsync("/auth/token", new { username, password }, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"POST /auth/token: {(int)response.StatusCode} {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("access_token").GetString()!;
    }
}
